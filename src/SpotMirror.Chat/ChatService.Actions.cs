using SpotMirror.Core.Ports;

namespace SpotMirror.Chat;

/// <summary>Reply buttons that run something for whoever pressed them: a mood picker's moods, and a list's More.</summary>
public sealed partial class ChatService
{
    /// <summary>At most 25 track ("Title - Artist") and artist names for what someone is typing; from memory only, for autocomplete.</summary>
    public IReadOnlyList<string> CompleteTracksAndArtists(string typed) => recommend.Catalog.CompleteOrNear(typed, 25);

    /// <summary>/mood alone: the named moods as buttons; a press runs that mood for the presser.</summary>
    private Reply MoodPicker()
    {
        var buttons = recommend.Moods
            .Select(m => (Mood: m, Code: ReplyActions.Mood(m.Name)))
            .Where(x => x.Code is not null)
            .Select(x => new ReplyButton($"{(x.Mood.Emoji.Count > 0 ? x.Mood.Emoji[0] : "🎵")} {Capitalize(x.Mood.Name)}", x.Code!))
            .ToList();
        // The lines say what each button does, for front ends without buttons (the console).
        var lines = recommend.Moods.Select(m => $"{(m.Emoji.Count > 0 ? m.Emoji[0] : "🎵")} /mood {m.Name}").ToList();
        return Reply.Info("Pick a mood, or type one: /mood rainy sunday, /mood 😌.", lines) with { Buttons = buttons };
    }

    /// <summary>A list a command made gets a More button (and remembers its request) when it can page.</summary>
    private Reply Pageable(Reply reply, Command command, CommandInvoked invoked)
    {
        if (pages is null || !reply.AcceptsFeedback || command is not (MoodCommand or SimilarCommand or RecommendCommand or PopularCommand)) return reply;
        return reply with { Request = invoked.Text.Trim(), Buttons = [MoreButton(invoked.User.PlatformUserId)] };
    }

    private static ReplyButton MoreButton(string owner) => new("More ▸", ReplyActions.More(owner));

    private async Task<Reply?> OnActionAsync(ActionPressed pressed, IUnitOfWork unit, CancellationToken cancellationToken)
    {
        if (!ReplyActions.TryRead(pressed.Action, out var kind, out var argument)) return null;
        if (kind == ReplyActions.Kind.Mood)
        {
            // A picked mood is that person's own /mood: rate-limited, recorded and pageable like one they typed.
            return await OnCommandAsync(
                new CommandInvoked(pressed.EventId, pressed.Platform, pressed.ChatId, pressed.User, pressed.At, $"/mood {argument}"),
                unit, cancellationToken).ConfigureAwait(false);
        }
        return await MoreAsync(pressed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The next page of the list under the pressed More: the same request, nothing any page of it showed, for its asker only.</summary>
    private async Task<Reply?> MoreAsync(ActionPressed pressed, CancellationToken cancellationToken)
    {
        var page = pages is null ? null : await pages.FindAsync(pressed.Platform, pressed.ChatId, pressed.MessageId, cancellationToken).ConfigureAwait(false);
        var message = page is null ? null : await ledger.FindAsync(pressed.Platform, pressed.ChatId, pressed.MessageId, cancellationToken).ConfigureAwait(false);
        if (page is null || message is null)
        {
            return Reply.Problem("I no longer have that list, sorry. Ask again (/recommend or /mood) for a fresh one.");
        }
        var presser = await users.FindAsync(pressed.Platform, pressed.User.PlatformUserId, cancellationToken).ConfigureAwait(false);
        if (presser is null || presser != message.RequestedBy)
        {
            return Reply.Problem($"Sorry {pressed.User.DisplayName}, only the person who asked can page this list. Ask for your own: {Shorten(page.Request)}");
        }

        var (verdict, retryAfter) = _limiter.Check($"{pressed.Platform}:{pressed.User.PlatformUserId}");
        if (verdict == RateLimiter.Verdict.LimitedSilent) return null;
        if (verdict == RateLimiter.Verdict.LimitedWarn)
        {
            return Reply.Problem($"Easy there, {pressed.User.DisplayName}: give me {retryAfter.TotalSeconds:0} s and press More again.");
        }

        var userId = presser.Value;
        var shown = page.Shown.ToHashSet();
        var exclude = shown.Union(_recent.Of(userId)).ToHashSet();
        var reply = CommandParser.Parse(page.Request) switch
        {
            MoodCommand mood => Mood(userId, mood, exclude),
            SimilarCommand similar => Similar(userId, similar, exclude),
            RecommendCommand recommend => Recommend(userId, recommend, exclude),
            PopularCommand popular => Popular(userId, popular, shown),
            _ => Reply.Problem("That list can't page, sorry."),
        };
        if (!reply.AcceptsFeedback) return reply with { RequestedBy = userId };
        var next = page.Pages + 1;
        return reply with
        {
            Title = PageTitle(reply.Title, next),
            RequestedBy = userId,
            Request = page.Request,
            Chain = page.Chain,
            Page = next,
            Buttons = [MoreButton(pressed.User.PlatformUserId)],
        };
    }

    /// <summary>"Chill for you:" becomes "Chill for you (page 2):".</summary>
    private static string PageTitle(string title, int page) =>
        title.EndsWith(':') ? $"{title[..^1]} (page {page}):" : $"{title} (page {page})";

    private static string Shorten(string request) => request.Length > 60 ? request[..60] + "…" : request;
}
