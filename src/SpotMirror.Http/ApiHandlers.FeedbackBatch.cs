using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using SpotMirror.Core.Ports;
using SpotMirror.UseCases;

namespace SpotMirror.Http;

public sealed partial class ApiHandlers
{
    /// <summary>Events in one POST /feedback at most: a raid's worth, small enough that one transaction stays short.</summary>
    public const int MaxFeedbackBatch = 1_000;

    /// <summary>
    /// Many feedback events in one unit of work (one transaction, one commit, shared with concurrent callers), each
    /// answered in the order sent. Every event means exactly what it would alone at POST /users/{user}/feedback, with
    /// its idempotencyKey in place of the header; an event that is not valid, or whose key was used for another request,
    /// gets its own problem and the others still apply. Nothing is answered before the commit, so every applied receipt
    /// is durable; a failed commit fails the whole request, and resending it unchanged is safe for keyed events.
    /// </summary>
    public async Task<IResult> FeedbackBatchAsync(IReadOnlyList<FeedbackBatchItem>? events, CancellationToken cancellationToken)
    {
        if (events is null || events.Count == 0)
        {
            return ApiProblems.BadRequest("No events", $"Send a JSON array of 1 to {MaxFeedbackBatch} events, e.g. [{{\"user\": \"ana\", \"trackId\": 12, \"signal\": \"like\"}}].");
        }
        if (events.Count > MaxFeedbackBatch)
        {
            return TypedResults.Problem(
                string.Create(CultureInfo.InvariantCulture, $"A batch holds at most {MaxFeedbackBatch} events; this one has {events.Count}. Split it into batches of {MaxFeedbackBatch} or fewer."),
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too many events",
                extensions: new Dictionary<string, object?> { ["maximum"] = MaxFeedbackBatch });
        }

        var items = new FeedbackItem?[events.Count];
        var results = new FeedbackBatchResult?[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var item = events[i] ?? new FeedbackBatchItem();
            var request = new FeedbackRequest { TrackId = item.TrackId, Track = item.Track, Signal = item.Signal, Remove = item.Remove };
            if (ValidFeedback(item.User, request, item.IdempotencyKey, out var valid) is { } problem) results[i] = Refused(i, problem);
            else items[i] = valid;
        }

        var done = await _transactions.RunAsync(async (unit, ct) =>
        {
            var users = new Dictionary<string, long>(StringComparer.Ordinal);
            var at = _clock.GetUtcNow();
            var applied = new (long UserId, FeedbackDone Done)?[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                if (items[i] is { } item) applied[i] = await ApplyFeedbackAsync(unit, item, users, at, ct).ConfigureAwait(false);
            }
            return applied;
        }, cancellationToken).ConfigureAwait(false);

        for (var i = 0; i < items.Length; i++)
        {
            if (items[i] is not { } item || done[i] is not { } applied) continue;
            var (userId, outcome) = applied;
            results[i] = outcome.Outcome == FeedbackOutcome.Conflict
                ? Refused(i, KeyReused(item.Key!))
                : new FeedbackBatchResult(i, StatusCodes.Status200OK, Receipt(item, userId, outcome), null);
        }
        var answered = results.Select(r => r!).ToList();
        return TypedResults.Ok(new FeedbackBatchReceipt(
            answered.Count(r => r.Receipt?.Outcome == "applied"),
            answered.Count(r => r.Receipt?.Outcome == "duplicate"),
            answered.Count(r => r.Receipt?.Outcome == "no-change"),
            answered.Count(r => r.Problem is not null),
            answered));
    }

    /// <summary>The problem an event would have got alone, as its entry in the batch's answer.</summary>
    private static FeedbackBatchResult Refused(int index, IResult problem)
    {
        var details = ((ProblemHttpResult)problem).ProblemDetails;
        var status = details.Status ?? StatusCodes.Status400BadRequest;
        return new FeedbackBatchResult(index, status, null, new FeedbackBatchProblem(status, details.Title ?? "", details.Detail ?? ""));
    }
}
