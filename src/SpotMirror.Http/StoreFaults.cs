using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpotMirror.Core.Ports;

namespace SpotMirror.Http;

/// <summary>
/// A busy, full or unreachable store is a passing condition, not a crash: the request gets 503 with Retry-After (problem
/// details), and the log gets the first failure of each kind in full and then a count, not one stack trace
/// per request (a full disk under load would otherwise write thousands of identical traces to the same disk).
/// </summary>
public sealed partial class StoreFaults(ILogger logger)
{
    private readonly long[] _counts = new long[Enum.GetValues<StoreFault>().Length];

    public async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (StoreFaultException fault) when (!context.Response.HasStarted)
        {
            Note(fault);
            var (seconds, detail) = fault.Fault switch
            {
                StoreFault.Busy => (2, "The database is busy with another writer; nothing of this request was kept. Try again in a moment."),
                StoreFault.Unreachable => (2, "The connection to the database was lost while this request was being saved; try again in a moment (resend with the same Idempotency-Key so it counts once)."),
                _ => (60, "The server's disk is full; nothing of this request was kept. Try again later."),
            };
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable",
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds }).ExecuteAsync(context).ConfigureAwait(false);
        }
    }

    /// <summary>The first of a kind in full; then one line at 10, 100, 1000... and every 1000 after that.</summary>
    public void Note(StoreFaultException fault)
    {
        var count = Interlocked.Increment(ref _counts[(int)fault.Fault]);
        // A lost database connection is logged once by the storage that lost it; a trace here would say it again.
        if (count == 1 && fault.Fault != StoreFault.Unreachable)
        {
            LogFirst(logger, fault.Fault, fault);
        }
        else if (count is 10 or 100 || count % 1000 == 0)
        {
            LogCounted(logger, count, fault.Fault);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP API: a request failed because the store is {Fault} (later ones are counted, not traced)")]
    private static partial void LogFirst(ILogger logger, StoreFault fault, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP API: {Count} requests so far failed because the store was {Fault}; each got 503 with Retry-After")]
    private static partial void LogCounted(ILogger logger, long count, StoreFault fault);
}
