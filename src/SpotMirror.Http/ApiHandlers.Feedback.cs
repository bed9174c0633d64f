using System.Globalization;
using Microsoft.AspNetCore.Http;
using SpotMirror.Chat;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.UseCases;

namespace SpotMirror.Http;

public sealed partial class ApiHandlers
{
    /// <summary>Where HTTP feedback lives in the reaction tables: one "message" per track, so each signal is on or off per track.</summary>
    public const string FeedbackChat = "api";
    public const int MaxIdempotencyKeyLength = 200;

    private static readonly Dictionary<string, (FeedbackSignal Signal, string Emoji)> SignalNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["like"] = (FeedbackSignal.Like, "👍"),
        ["love"] = (FeedbackSignal.Love, "❤️"),
        ["dislike"] = (FeedbackSignal.Dislike, "👎"),
        ["skip"] = (FeedbackSignal.Skip, "⏭️"),
    };

    private static readonly string[] SignalChoices = ["like", "love", "dislike", "skip", .. ReactionVocabulary.Offered];

    /// <summary>
    /// Feedback on one track at full weight through the same use case a chat reaction goes through.
    /// A repeated Idempotency-Key counts once; without one, every request is a new event.
    /// </summary>
    public async Task<IResult> FeedbackAsync(string user, FeedbackRequest body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ValidFeedback(user, body, idempotencyKey, out var item) is { } bad) return bad;
        var (userId, done) = await _transactions.RunAsync(
            (unit, ct) => ApplyFeedbackAsync(unit, item, new Dictionary<string, long>(StringComparer.Ordinal), _clock.GetUtcNow(), ct), cancellationToken).ConfigureAwait(false);
        return done.Outcome == FeedbackOutcome.Conflict ? KeyReused(item.Key!) : TypedResults.Ok(Receipt(item, userId, done));
    }

    /// <summary>One valid feedback event as the handlers apply it: who, on which track, what, and its Idempotency-Key if any.</summary>
    private sealed record FeedbackItem(string User, Track Track, FeedbackSignal Signal, string Emoji, bool Remove, string? Key);

    /// <summary>Null and the event when it can be applied; else the problem the client gets for it.</summary>
    private IResult? ValidFeedback(string? user, FeedbackRequest body, string? idempotencyKey, out FeedbackItem item)
    {
        item = null!;
        if (RequiredText("user", user, "") is { } badUser) return badUser;
        if (idempotencyKey is { Length: > MaxIdempotencyKeyLength }) return ApiProblems.TooLong("Idempotency-Key", MaxIdempotencyKeyLength);
        if (Blank(body.Signal)) return ApiProblems.Missing("signal", $"Use one of: {string.Join(", ", SignalChoices)}.");
        if (!TryInterpretSignal(body.Signal!, out var signal, out var emoji))
        {
            return ApiProblems.BadRequest("Unknown signal", $"\"{body.Signal}\" is not a signal. Use one of: {string.Join(", ", SignalChoices)}.",
                new Dictionary<string, object?> { ["signals"] = SignalChoices });
        }
        if (FeedbackTrack(body, out var track) is { } badTrack) return badTrack;
        item = new FeedbackItem(user!, track, signal, emoji, body.Remove, Blank(idempotencyKey) ? null : idempotencyKey!.Trim());
        return null;
    }

    /// <summary>
    /// One event in the caller's unit of work, the user resolved once per unit (users). One "message" per track, so
    /// each signal is on or off per track, at full weight like a reaction on one track of a list.
    /// </summary>
    private async Task<(long UserId, FeedbackDone Done)> ApplyFeedbackAsync(
        IUnitOfWork unit, FeedbackItem item, Dictionary<string, long> users, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (!users.TryGetValue(item.User, out var userId))
        {
            userId = await _users.ResolveAsync(unit, new ChatUser(Platform, item.User, item.User), cancellationToken).ConfigureAwait(false);
            users[item.User] = userId;
        }
        var eventId = item.Key is null
            ? $"{Platform}:{Guid.NewGuid():N}"
            : string.Create(CultureInfo.InvariantCulture, $"{Platform}:{userId}:{item.Key}");
        var done = await _feedback.ApplyAsync(
            unit,
            new FeedbackInput(eventId, userId, Platform, FeedbackChat, $"track:{item.Track.Id}", ReactionVocabulary.Key(item.Emoji), 1, item.Signal, [item.Track.Id], !item.Remove, at),
            cancellationToken).ConfigureAwait(false);
        return (userId, done);
    }

    private static IResult KeyReused(string key) =>
        ApiProblems.Conflict("Idempotency-Key reused",
            $"The Idempotency-Key \"{key}\" was already used for a different request (another track, signal or direction); nothing was applied. Use a new key for a new request, or resend the first request unchanged.");

    /// <summary>The receipt for a committed event: the user's score and hiding as the in-memory matrix holds them now.</summary>
    private FeedbackReceipt Receipt(FeedbackItem item, long userId, FeedbackDone done)
    {
        // The one cell, not a copy of the user's whole row: a batch asks this once per event.
        var (scaled, hidden) = _recommender.Preferences.CellOf(userId, item.Track.Id);
        var score = scaled is { } value ? _recommender.Preferences.Effective(value, _clock.GetUtcNow()) : 0;
        var outcome = done.Outcome switch
        {
            FeedbackOutcome.Applied => "applied",
            FeedbackOutcome.Duplicate => "duplicate",
            _ => "no-change",
        };
        return new FeedbackReceipt(
            item.User, item.Track.Id, item.Track.Title, item.Track.Artist, item.Signal.ToString().ToLowerInvariant(), item.Emoji, item.Remove ? "remove" : "add", outcome,
            done.Weight, Math.Round(score, 6), hidden);
    }

    /// <summary>A signal name (like, love, dislike, skip) or any emoji the chat understands as a reaction.</summary>
    private static bool TryInterpretSignal(string raw, out FeedbackSignal signal, out string emoji)
    {
        var text = raw.Trim();
        if (SignalNames.TryGetValue(text, out var named))
        {
            (signal, emoji) = named;
            return true;
        }
        if (ReactionVocabulary.TryInterpret(text, out var meaning))
        {
            (signal, emoji) = (meaning.Signal, text);
            return true;
        }
        (signal, emoji) = (default, "");
        return false;
    }

    /// <summary>
    /// The one track feedback is about: by id, or by text that names it exactly ("Title - Artist" or the title).
    /// A write never lands on a near match: a close name gets a 404 that offers it instead.
    /// </summary>
    private IResult? FeedbackTrack(FeedbackRequest body, out Track track)
    {
        track = null!;
        var catalog = _recommender.Catalog;
        if (body.TrackId is not null && !Blank(body.Track))
        {
            return ApiProblems.BadRequest("Two tracks given", "Give trackId or track, not both.");
        }
        if (body.TrackId is { } id)
        {
            if (!catalog.TryGetItem(id, out var byId)) return ApiProblems.NotFound("Unknown song", $"No track has id {id}.");
            track = catalog[byId];
            return null;
        }
        if (Blank(body.Track)) return ApiProblems.Missing("trackId or track", "Say which track: trackId (e.g. 12) or track (\"Title - Artist\").");
        if (body.Track!.Length > MaxTextLength) return ApiProblems.TooLong("track", MaxTextLength);

        var text = body.Track!.Trim();
        var seed = RecommendUseCase.FindSeed(catalog, text);
        if (seed is null) return ApiProblems.UnknownSong(text, catalog.Suggest(text));
        if (seed.IsArtist)
        {
            var example = catalog[seed.Items[0]];
            return ApiProblems.BadRequest("An artist, not a track",
                $"\"{seed.Label}\" is an artist; feedback is about one track. Name one of their tracks, e.g. \"{example.Title} - {example.Artist}\", or give its trackId.");
        }
        var found = catalog[seed.Items[0]];
        if (!NamesExactly(text, found))
        {
            return ApiProblems.NotFound("Unknown song",
                $"No track is called \"{text}\". Did you mean \"{found.Title} - {found.Artist}\"? Feedback needs the exact title, \"Title - Artist\", or the trackId.",
                new Dictionary<string, object?> { ["suggestions"] = new[] { $"{found.Title} - {found.Artist}" } });
        }
        var sameTitle = catalog.TitledExactly(text);
        if (sameTitle.Count > 1)
        {
            // A write must not pick one of several songs by that name; the client says which, as it would for a near match.
            var candidates = sameTitle.Select(i => catalog[i]).Select(t => new TrackChoice(t.Id, t.Title, t.Artist, $"{t.Title} - {t.Artist}")).ToArray();
            return ApiProblems.BadRequest("Which song?",
                $"{candidates.Length} tracks are called \"{text}\": {string.Join("; ", candidates.Select(c => c.Name))}. Say which with \"Title - Artist\" or its trackId.",
                new Dictionary<string, object?> { ["candidates"] = candidates });
        }
        track = found;
        return null;
    }

    private static bool NamesExactly(string text, Track track)
    {
        var query = Text.Normalize(text);
        return query == Text.Normalize(track.Title)
            || query == Text.Normalize($"{track.Title} {track.Artist}")
            || query == Text.Normalize($"{track.Title} by {track.Artist}")
            || long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id == track.Id;
    }
}
