using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>A failure the fake plays instead of (or around) the normal answer to one call.</summary>
public abstract record TelegramFault
{
    private protected TelegramFault()
    {
    }

    /// <summary>429 with <c>parameters.retry_after</c>, as Telegram's flood control answers.</summary>
    public static TelegramFault TooManyRequests(int retryAfterSeconds) =>
        new Answer(ApiResult.Error(
            429,
            $"Too Many Requests: retry after {retryAfterSeconds}",
            new JsonObject { ["retry_after"] = retryAfterSeconds }));

    /// <summary>A proxy error page (HTML, not JSON), as Telegram's front ends send during outages.</summary>
    public static TelegramFault HtmlServerError(int status = 502) =>
        new Answer(new ApiResult(status, $"<html><body>{ReasonOf(status)}</body></html>", "text/html"));

    /// <summary>409 as when a second bot instance polls the same token.</summary>
    public static TelegramFault Conflict { get; } =
        new Answer(ApiResult.Error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"));

    /// <summary>400 with the given description, e.g. "Bad Request: chat not found".</summary>
    public static TelegramFault BadRequest(string description) => new Answer(ApiResult.Error(400, description));

    /// <summary>Any error envelope, e.g. 403 "Forbidden: bot was blocked by the user".</summary>
    public static TelegramFault ApiError(int errorCode, string description) => new Answer(ApiResult.Error(errorCode, description));

    /// <summary>The TCP connection is aborted before any answer is written.</summary>
    public static TelegramFault ResetConnection { get; } = new Reset();

    /// <summary>The call takes effect, then the first half of its JSON answer is sent with status 200.</summary>
    public static TelegramFault TruncatedJson { get; } = new Truncated();

    /// <summary>
    /// The call takes effect and is answered 200 ok, but the sent message's <c>date</c> is in milliseconds (a
    /// Bot API emulator's quirk): an answer a strict reader cannot take, though the message was sent.
    /// </summary>
    public static TelegramFault MillisecondDates { get; } = new Milliseconds();

    /// <summary>The call is answered normally, but only after <paramref name="delay"/>.</summary>
    public static TelegramFault Delay(TimeSpan delay) => new Delayed(delay);

    private static string ReasonOf(int status) => status switch
    {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Error",
    };

    internal sealed record Answer(ApiResult Result) : TelegramFault;

    internal sealed record Reset : TelegramFault;

    internal sealed record Truncated : TelegramFault;

    internal sealed record Delayed(TimeSpan Wait) : TelegramFault;

    internal sealed record Milliseconds : TelegramFault;
}

/// <summary>Faults waiting for the next calls of each method; each one is used once.</summary>
internal sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<TelegramFault>> _byMethod = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string method, TelegramFault fault, int times)
    {
        lock (_gate)
        {
            if (!_byMethod.TryGetValue(method, out var queue))
            {
                queue = new Queue<TelegramFault>();
                _byMethod[method] = queue;
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(fault);
            }
        }
    }

    public TelegramFault? Take(string method)
    {
        lock (_gate)
        {
            return _byMethod.TryGetValue(method, out var queue) && queue.TryDequeue(out var fault) ? fault : null;
        }
    }
}
