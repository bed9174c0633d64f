using SpotMirror.Core.Ports;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Chat;

public sealed partial class ChatService
{
    public static readonly IReadOnlyList<string> HelpLines =
    [
        "/mood <mood, words or emoji> [count] (or /mood alone to pick one) · /similar <track or artist> · /recommend [count] · /popular [tag] · /group [mood] (join with 🎧, then /group go) · /link lastfm USERNAME · /unlink · /profile · /web (sign in to the web app) · /forget · /help",
        "React to a list: 👍 🔥 like, ❤️ love, 👎 dislike, ⏭️ skip (lightly, for every track); 1️⃣-🔟 or a track's own button counts fully for that track, and 👎 on one track hides it. Remove a reaction to take it back. ▶ plays a track; More (/more in the console) brings the next page.",
    ];

    private static Reply Help() => Reply.Info("SpotMirror recommends music and learns from your reactions.", HelpLines);

    private Reply Mood(long userId, MoodCommand command, IReadOnlySet<long>? exclude = null)
    {
        var answer = recommend.Mood(userId, command.Query, command.Count, exclude ?? _recent.Of(userId));
        if (answer.Target is not { } target)
        {
            var shown = command.Query.Length > 40 ? command.Query[..40] + "…" : command.Query;
            var didYouMean = answer.Suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", answer.Suggestions)}?" : "";
            return Reply.Problem(
                $"I don't know the mood \"{shown}\".{didYouMean}",
                $"Moods: {string.Join(", ", recommend.NamedMoods)}; or describe it in words (/mood rainy sunday) or with an emoji (/mood 😌).");
        }
        return Tracks($"{Capitalize(target.Label)} for you:", answer.Tracks, $"mood:{target.Label}",
            $"I've run out of new {target.Label} tracks for you for now. Try another mood, or /popular.");
    }

    private Reply Similar(long userId, SimilarCommand command, IReadOnlySet<long>? exclude = null)
    {
        var answer = recommend.Similar(userId, command.Query, command.Count, exclude ?? _recent.Of(userId));
        if (answer.Seed is not { } seed)
        {
            var hint = answer.Suggestions.Count > 0 ? $" Did you mean: {string.Join("; ", answer.Suggestions)}?" : " Try an artist's name, or \"Title - Artist\".";
            return Reply.Problem($"I don't know a track or artist called \"{Truncate(command.Query)}\".{hint}");
        }
        return Tracks($"Like {seed.Label}:", answer.Tracks, "similar", $"I have nothing more like {seed.Label} for you right now.");
    }

    private Reply Recommend(long userId, RecommendCommand command, IReadOnlySet<long>? exclude = null) =>
        Tracks("Picked for you:", recommend.Personal(userId, command.Count, exclude ?? _recent.Of(userId)), "recommend",
            "I've shown you everything I have for now. React to a few tracks and ask again.");

    private Reply Popular(long userId, PopularCommand command, HashSet<long>? exclude = null)
    {
        // Popularity has no exclusions of its own: a later page asks for enough more to drop what was shown.
        var answer = recommend.Popular(command.Tag, command.Count + (exclude?.Count ?? 0), userId);
        if (answer.UnknownTag)
        {
            return Reply.Problem($"No track in the catalogue is tagged \"{Truncate(command.Tag!)}\". Try a genre like rock, jazz or hip-hop, or /popular alone.");
        }
        var list = exclude is null ? answer.Tracks : answer.Tracks.Where(r => !exclude.Contains(r.Track.Id)).Take(command.Count).ToList();
        var title = command.Tag is null ? "Popular now:" : $"Popular in {command.Tag}:";
        return Tracks(title, list, command.Tag is null ? "popular" : $"popular:{command.Tag}", "Nothing to show yet.");
    }

    private Reply Profile(long userId)
    {
        var profile = profiles.Of(userId);
        if (profile.Liked == 0 && profile.Hidden == 0)
        {
            return Reply.Info("I don't know your taste yet.", "React to a list with 👍 or ❤️ and I'll learn what you like.");
        }
        var lines = new List<string>();
        if (profile.Artists.Count > 0) lines.Add("Artists: " + string.Join(", ", profile.Artists.Select(a => a.Name)));
        if (profile.Tags.Count > 0) lines.Add("Tags: " + string.Join(", ", profile.Tags.Select(t => t.Name)));
        if (profile.Moods.Count > 0) lines.Add("Moods: " + string.Join(", ", profile.Moods.Select(m => m.Name)));
        lines.Add($"{profile.Liked} track(s) liked, {profile.Hidden} hidden.");
        return Reply.Info("Your taste, as I've learned it:", lines) with { PictureOf = records is null ? null : userId };
    }

    private async Task<Reply> ForgetAsync(IUnitOfWork unit, long userId, ForgetCommand command, CancellationToken cancellationToken)
    {
        if (!command.Confirmed)
        {
            return Reply.Info(
                "This deletes everything I know about you: your reactions, your learned taste and your name.",
                "Send /forget yes to confirm.");
        }
        await forgetUseCase.ForgetAsync(unit, userId, cancellationToken).ConfigureAwait(false);
        unit.OnCommitted(() => _recent.Forget(userId));
        return Reply.Info("Done: I've forgotten you. Your next message starts a fresh profile.");
    }

    private Reply Tracks(string title, IReadOnlyList<Recommendation> list, string context, string whenEmpty)
    {
        if (list.Count == 0) return Reply.Problem(whenEmpty);
        var lines = list.Select((r, i) => new TrackLine(i + 1, r.Track.Id, r.Track.Title, r.Track.Artist, r.Reason) { Links = _links.For(r.Track) }).ToList();
        return new Reply(ReplyKind.Tracks, title, [], lines) { Context = context };
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Truncate(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
