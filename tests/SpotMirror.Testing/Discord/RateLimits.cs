using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// Per-bucket request counting with Discord's X-RateLimit-* headers. A bucket is a route; the
/// count is kept per route and major parameter (channel, guild, or webhook id and token), so two
/// channels never share a window. Windows run on the injected clock.
/// </summary>
internal sealed class RateLimits(TimeProvider clock, int limit, TimeSpan window)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (DateTimeOffset Start, int Used)> _windows = new(StringComparer.Ordinal);

    /// <summary>An opaque hash per route, like Discord's bucket ids.</summary>
    public static string BucketOf(string route)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in route)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    public static string MajorOf(RouteMatch match) =>
        match.Values.TryGetValue("channel_id", out var channel) ? channel
        : match.Values.TryGetValue("guild_id", out var guild) ? guild
        : match.Values.TryGetValue("interaction_token", out var token) ? token
        : string.Empty;

    /// <summary>Counts one request; a request over the limit gets the 429 to send instead of its answer.</summary>
    public (Dictionary<string, string> Headers, RestResult? Refusal) Take(RouteMatch match)
    {
        var now = clock.GetUtcNow();
        var key = match.Route + "|" + MajorOf(match);
        int used;
        DateTimeOffset start;
        lock (_gate)
        {
            (start, used) = _windows.TryGetValue(key, out var current) && now - current.Start < window ? current : (now, 0);
            used++;
            _windows[key] = (start, used);
        }

        var resetAfter = Math.Max(0, (start + window - now).TotalSeconds);
        var headers = Headers(BucketOf(match.Route), limit, Math.Max(0, limit - used), now, resetAfter);
        return used <= limit ? (headers, null) : (headers, TooManyRequests(headers, resetAfter, global: false));
    }

    public Dictionary<string, string> Exhausted(string bucket, double retryAfter) =>
        Headers(bucket, limit, 0, clock.GetUtcNow(), retryAfter);

    public static Dictionary<string, string> Headers(string bucket, int limit, int remaining, DateTimeOffset now, double resetAfter) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture),
        ["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture),
        ["X-RateLimit-Reset"] = Seconds(now.ToUnixTimeMilliseconds() / 1000.0 + resetAfter),
        ["X-RateLimit-Reset-After"] = Seconds(resetAfter),
        ["X-RateLimit-Bucket"] = bucket,
    };

    /// <summary>The 429 answer; <paramref name="headers"/> gets Retry-After and the scope headers added.</summary>
    public static RestResult TooManyRequests(Dictionary<string, string> headers, double retryAfter, bool global)
    {
        headers["Retry-After"] = Math.Ceiling(retryAfter).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Scope"] = global ? "global" : "user";
        if (global)
        {
            headers["X-RateLimit-Global"] = "true";
        }

        var body = new JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = Math.Round(retryAfter, 3),
            ["global"] = global,
        };
        return new RestResult(429, DiscordJson.Write(body), headers);
    }

    private static string Seconds(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
