using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpotMirror.Chat;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.UseCases;

namespace SpotMirror.Http.Web;

public sealed partial class WebHandlers
{
    /// <summary>The reactions the page offers on each track.</summary>
    public static readonly IReadOnlyList<(string Emoji, string Verb)> PageReactions = [("❤️", "Love"), ("👍", "Like"), ("👎", "Dislike")];

    /// <summary>
    /// ❤️, 👍 or 👎 on one track: the first press puts the reaction on (full weight, 👎 hides the track), the
    /// next takes it back exactly, as a track's own button does in the chat.
    /// </summary>
    public async Task<IResult> FeedbackAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (form, formStatus) = await ReadFormAsync(context, cancellationToken).ConfigureAwait(false);
        if (form is null) return BadForm(context, formStatus);
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (RefuseWrite(context, visitor, form["csrf"], "react to tracks") is { } refused) return refused;

        string? emoji = form["emoji"];
        if (emoji is null || !PageReactions.Any(r => r.Emoji == emoji) || !ReactionVocabulary.TryInterpret(emoji, out var meaning))
        {
            return Answer(context, StatusCodes.Status400BadRequest, "Unknown reaction", "The page offers ❤️, 👍 and 👎.");
        }
        var catalog = _recommender.Catalog;
        if (!long.TryParse(form["track"], NumberStyles.None, CultureInfo.InvariantCulture, out var trackId) || !catalog.TryGetItem(trackId, out var item))
        {
            return Answer(context, StatusCodes.Status400BadRequest, "Unknown track", "That track is not in the catalogue (any more). Reload the page.");
        }

        var input = new FeedbackInput(
            $"{Platform}:{Guid.NewGuid():N}", visitor.Session!.UserId, Platform, Platform, TrackMessage(trackId), ReactionVocabulary.Key(emoji), 1, meaning.Signal,
            [trackId], true, _clock.GetUtcNow()) { Toggle = true };
        var done = await _transactions.RunAsync((unit, ct) => _feedback.ApplyAsync(unit, input, ct), cancellationToken).ConfigureAwait(false);

        var title = catalog[item].Title;
        var message = !done.Added ? $"Taken back: your {emoji} on {title} no longer counts."
            : done.Hides ? $"Hidden: {title} won't come up for you again (press 👎 again to undo)."
            : meaning.Signal == FeedbackSignal.Love ? $"Noted: you love {title}." : $"Noted: more like {title}.";
        if (WantsJson(context)) return Results.Json(new Dictionary<string, object> { ["pressed"] = done.Added, ["message"] = message });
        return Results.Redirect(LocalReturn(form["return"]) , permanent: false, preserveMethod: false);
    }

    /// <summary>Takes back one of the person's reactions, wherever it was given (here, a chat, the API): exactly what removing it there does.</summary>
    public async Task<IResult> TakeBackAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (form, formStatus) = await ReadFormAsync(context, cancellationToken).ConfigureAwait(false);
        if (form is null) return BadForm(context, formStatus);
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (RefuseWrite(context, visitor, form["csrf"], "take a reaction back") is { } refused) return refused;

        string? platform = form["platform"], chat = form["chat"], message = form["message"], emoji = form["emoji"];
        if (platform is null || chat is null || message is null || emoji is null || !ReactionVocabulary.TryInterpret(emoji, out var meaning)
            || !int.TryParse(form["item"], NumberStyles.None, CultureInfo.InvariantCulture, out var item))
        {
            return Answer(context, StatusCodes.Status400BadRequest, "That form was incomplete", "Reload your profile and press Take back again.");
        }
        // The reaction's key includes this session's person, so nobody can take back someone else's reaction.
        var input = new FeedbackInput(
            $"{Platform}:{Guid.NewGuid():N}", visitor.Session!.UserId, platform, chat, message, emoji, item == 0 ? null : item, meaning.Signal,
            [], false, _clock.GetUtcNow());
        var done = await _transactions.RunAsync((unit, ct) => _feedback.ApplyAsync(unit, input, ct), cancellationToken).ConfigureAwait(false);
        var text = done.Outcome == FeedbackOutcome.Applied ? "Taken back: that reaction no longer counts." : "That reaction was already gone.";
        if (WantsJson(context)) return Results.Json(new Dictionary<string, object> { ["pressed"] = false, ["message"] = text });
        return Results.Redirect("/web/profile#reactions");
    }

    /// <summary>Which of the tracks this person has ❤️/👍/👎 on from this site: (track id, stripped emoji).</summary>
    private async Task<HashSet<(long TrackId, string Emoji)>> PressedAsync(WebVisitor visitor, CancellationToken cancellationToken)
    {
        if (visitor.Session is not { } session) return [];
        var reactions = await _records.ActiveReactionsAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        return reactions.Where(r => r.Platform == Platform && r.ChatId == Platform)
            .SelectMany(r => r.TrackIds.Select(t => (t, r.Emoji)))
            .ToHashSet();
    }

    private static string TrackMessage(long trackId) => string.Create(CultureInfo.InvariantCulture, $"track:{trackId}");

    /// <summary>The posted form; null with the status to answer when it is not a form or cannot be read (malformed, too many fields, too large).</summary>
    private async Task<(IFormCollection? Form, int Status)> ReadFormAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType) return (null, StatusCodes.Status415UnsupportedMediaType);
        try
        {
            return (await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false), StatusCodes.Status200OK);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            LogBadForm(_logger, context.Request.Path, exception.GetType().Name);
            return (null, exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
        }
    }

    private static IResult BadForm(HttpContext context, int status) =>
        Answer(context, status, "That form could not be read",
            status == StatusCodes.Status413PayloadTooLarge ? "It was far larger than any form on this site." : "It was empty, malformed or not a form. Reload the page and try again.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Web: an unreadable form was posted to {Path} ({Error})")]
    private static partial void LogBadForm(ILogger logger, string path, string error);
}
