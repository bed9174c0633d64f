using System.Globalization;

namespace SpotMirror.Testing.Discord;

/// <summary>A failure the fake plays instead of the normal answer to one REST request.</summary>
public abstract record DiscordRestFault
{
    private protected DiscordRestFault()
    {
    }

    /// <summary>
    /// A per-route 429: <c>retry_after</c> in fractional seconds, <c>global:false</c>, the bucket's
    /// headers with Remaining 0, <c>X-RateLimit-Scope: user</c> and <c>Retry-After</c>.
    /// </summary>
    /// <param name="bucket">The X-RateLimit-Bucket to report; by default the route's usual bucket.</param>
    public static DiscordRestFault RateLimited(double retryAfterSeconds = 0.3, string? bucket = null) =>
        new Limited(retryAfterSeconds, Global: false, bucket);

    /// <summary>The global 429: <c>global:true</c>, <c>X-RateLimit-Global: true</c>, <c>X-RateLimit-Scope: global</c>, no bucket headers.</summary>
    public static DiscordRestFault GlobalRateLimited(double retryAfterSeconds = 0.3) => new Limited(retryAfterSeconds, Global: true, Bucket: null);

    /// <summary>500 or 503 with a JSON body, 502 with Cloudflare's HTML page; the request has no effect.</summary>
    public static DiscordRestFault ServerError(int status = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 500);
        return new Answer(status == 502
            ? new RestResult(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>", null, "text/html")
            : RestResult.Error(status, 0, $"{status.ToString(CultureInfo.InvariantCulture)}: {(status == 503 ? "Service Unavailable" : "Internal Server Error")}"));
    }

    /// <summary>401 <c>{code:0,"message":"401: Unauthorized"}</c>, as for a revoked token.</summary>
    public static DiscordRestFault Unauthorized { get; } = new Answer(RestResult.Unauthorized);

    /// <summary>Any Discord error, e.g. 403 with code 50013 "Missing Permissions".</summary>
    public static DiscordRestFault ApiError(int status, int code, string message) => new Answer(RestResult.Error(status, code, message));

    /// <summary>The TCP connection is aborted before any answer.</summary>
    public static DiscordRestFault ResetConnection { get; } = new Reset();

    internal sealed record Answer(RestResult Result) : DiscordRestFault;

    internal sealed record Limited(double RetryAfter, bool Global, string? Bucket) : DiscordRestFault;

    internal sealed record Reset : DiscordRestFault;
}

/// <summary>REST faults waiting for the next requests of a route (or of any route); each is used once.</summary>
internal sealed class RestFaultPlan
{
    private readonly Lock _gate = new();
    private readonly List<(string Route, DiscordRestFault Fault)> _pending = [];

    public void Add(string route, DiscordRestFault fault, int times)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _pending.Add((route, fault));
            }
        }
    }

    public DiscordRestFault? Take(string? route)
    {
        lock (_gate)
        {
            var index = _pending.FindIndex(p => p.Route == DiscordRoutes.Any || p.Route == route);
            if (index < 0)
            {
                return null;
            }

            var fault = _pending[index].Fault;
            _pending.RemoveAt(index);
            return fault;
        }
    }
}
