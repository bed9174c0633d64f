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
        var resolution = recommender.Moods.Resolve(command.Query);
        if (resolution.Target is not { } target)
        {
            var shown = command.Query.Length > 40 ? command.Query[..40] + "…" : command.Query;
            var didYouMean = resolution.Suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", resolution.Suggestions)}?" : "";
            return Reply.Problem(
                $"I don't know the mood \"{shown}\".{didYouMean}",
                $"Moods: {string.Join(", ", recommender.Moods.Moods.Select(m => m.Name))}; or describe it in words (/mood rainy sunday) or with an emoji (/mood 😌).");
        }
        var list = recommender.Recommend(new RecommendationRequest
        {
            UserId = userId, Count = command.Count, Mood = target, Exclude = exclude ?? _recent.Of(userId),
        });
        return Tracks($"{Capitalize(target.Label)} for you:", list, $"mood:{target.Label}",
            $"I've run out of new {target.Label} tracks for you for now. Try another mood, or /popular.");
    }

    private Reply Similar(long userId, SimilarCommand command, IReadOnlySet<long>? exclude = null)
    {
        var catalog = recommender.Catalog;
        var seed = catalog.FindSeed(command.Query);
        if (seed is null)
        {
            var suggestions = catalog.Suggest(command.Query);
            var hint = suggestions.Count > 0 ? $" Did you mean: {string.Join("; ", suggestions)}?" : " Try an artist's name, or \"Title - Artist\".";
            return Reply.Problem($"I don't know a track or artist called \"{Truncate(command.Query)}\".{hint}");
        }
        var list = recommender.Recommend(new RecommendationRequest
        {
            UserId = userId, Count = command.Count, Seed = seed, Exclude = exclude ?? _recent.Of(userId),
        });
        return Tracks($"Like {seed.Label}:", list, "similar", $"I have nothing more like {seed.Label} for you right now.");
    }

    private Reply Recommend(long userId, RecommendCommand command, IReadOnlySet<long>? exclude = null)
    {
        var list = recommender.Recommend(new RecommendationRequest { UserId = userId, Count = command.Count, Exclude = exclude ?? _recent.Of(userId) });
        return Tracks("Picked for you:", list, "recommend", "I've shown you everything I have for now. React to a few tracks and ask again.");
    }

    private Reply Popular(long userId, PopularCommand command, HashSet<long>? exclude = null)
    {
        if (command.Tag is { } tag && !recommender.Catalog.HasTag(tag))
        {
            return Reply.Problem($"No track in the catalogue is tagged \"{Truncate(tag)}\". Try a genre like rock, jazz or hip-hop, or /popular alone.");
        }
        // Popularity has no exclusions of its own: a later page asks for enough more to drop what was shown.
        var list = exclude is null
            ? recommender.Popular(command.Tag, command.Count, userId)
            : recommender.Popular(command.Tag, command.Count + exclude.Count, userId).Where(r => !exclude.Contains(r.Track.Id)).Take(command.Count).ToList();
        var title = command.Tag is null ? "Popular now:" : $"Popular in {command.Tag}:";
        return Tracks(title, list, command.Tag is null ? "popular" : $"popular:{command.Tag}", "Nothing to show yet.");
    }

    private Reply Profile(long userId)
    {
        var profile = recommender.Profile(userId);
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
