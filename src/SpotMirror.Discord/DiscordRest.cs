using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Discord;

/// <summary>Discord answered with an error: the HTTP status, Discord's JSON error code and its message.</summary>
public sealed class DiscordRestException(HttpStatusCode status, int code, string message)
    : Exception($"Discord said {(int)status} (code {code}): {message}")
{
    public HttpStatusCode Status { get; } = status;
    public int Code { get; } = code;
    public string DiscordMessage { get; } = message;
}

/// <summary>
/// The one path every Discord REST call takes. It owns Authorization, User-Agent and JSON; learns each
/// route's bucket from the X-RateLimit headers and waits when a bucket is spent; honours 429 (the
/// bucket's, or every request's when it is global); retries 5xx only for calls that are safe to repeat;
/// and after a 401 refuses to send anything more, since every further call would fail the same way and
/// count toward Discord's invalid-request ban. Typed calls for what the bot needs sit on top.
/// </summary>
public sealed partial class DiscordRest : IDisposable
{
    private const int MaxAttempts = 5;
    private static readonly string Version = typeof(DiscordRest).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
    private readonly HttpClient _http;
    private readonly string _base;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Remaining, DateTimeOffset ResetAt)> _buckets = new(StringComparer.Ordinal);
    private DateTimeOffset _globalUntil;
    private volatile bool _unauthorized;

    public DiscordRest(DiscordOptions options, TimeProvider clock, ILogger<DiscordRest> logger, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _clock = clock;
        _logger = logger;
        _base = options.ApiBaseUrl.TrimEnd('/');
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(30);
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", options.Token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd($"DiscordBot (https://github.com/spotmirror/spotmirror, {Version})");
    }

    /// <summary>True once Discord has refused the token: no more requests are made.</summary>
    public bool Unauthorized => _unauthorized;

    /// <summary>
    /// Sends one request. route is the template ("POST /channels/{id}/messages") that, with the major
    /// parameter, keys the rate-limit bucket; idempotent says whether a 5xx may be retried.
    /// </summary>
    public async Task<JsonNode?> SendAsync(HttpMethod method, string route, string majorParameter, string path, JsonNode? body, bool idempotent, CancellationToken cancellationToken)
    {
        var routeKey = $"{method} {route} {majorParameter}";
        for (var attempt = 1; ; attempt++)
        {
            if (_unauthorized) throw new DiscordRestException(HttpStatusCode.Unauthorized, 0, "the token was refused earlier; no more requests are sent");
            await WaitForTurnAsync(routeKey, cancellationToken).ConfigureAwait(false);

            using var request = new HttpRequestMessage(method, _base + path);
            if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException exception) when (idempotent && attempt < MaxAttempts)
            {
                LogRetry(_logger, route, exception.Message, attempt);
                await Task.Delay(Backoff(attempt), _clock, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (response)
            {
                Learn(routeKey, response);
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode) return text.Length == 0 ? null : JsonNode.Parse(text);

                var (code, message) = ErrorOf(text);
                switch ((int)response.StatusCode)
                {
                    case 401:
                        _unauthorized = true;
                        LogUnauthorized(_logger);
                        throw new DiscordRestException(response.StatusCode, code, message);
                    case 429 when attempt < MaxAttempts:
                        await OnTooManyAsync(routeKey, response, text, cancellationToken).ConfigureAwait(false);
                        continue;
                    case >= 500 when idempotent && attempt < MaxAttempts:
                        LogRetry(_logger, route, $"{(int)response.StatusCode}", attempt);
                        await Task.Delay(Backoff(attempt), _clock, cancellationToken).ConfigureAwait(false);
                        continue;
                    default:
                        throw new DiscordRestException(response.StatusCode, code, message);
                }
            }
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Waits out a global pause and a spent bucket before a request goes.</summary>
    private async Task WaitForTurnAsync(string routeKey, CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = _clock.GetUtcNow();
                wait = _globalUntil - now;
                if (_bucketOfRoute.TryGetValue(routeKey, out var bucket) && _buckets.TryGetValue(bucket, out var state) && state.Remaining <= 0 && state.ResetAt > now)
                {
                    var bucketWait = state.ResetAt - now;
                    if (bucketWait > wait) wait = bucketWait;
                }
                if (wait <= TimeSpan.Zero)
                {
                    // Spend one of the bucket's calls now, so concurrent callers do not all see the last one free.
                    if (_bucketOfRoute.TryGetValue(routeKey, out var b) && _buckets.TryGetValue(b, out var s)) _buckets[b] = (s.Remaining - 1, s.ResetAt);
                    return;
                }
            }
            await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Learn(string routeKey, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("X-RateLimit-Bucket", out var buckets)) return;
        var bucket = buckets.First();
        var remaining = Header(response, "X-RateLimit-Remaining") is { } r && int.TryParse(r, CultureInfo.InvariantCulture, out var left) ? left : 1;
        var resetAfter = Header(response, "X-RateLimit-Reset-After") is { } a && double.TryParse(a, CultureInfo.InvariantCulture, out var seconds) ? seconds : 0;
        lock (_gate)
        {
            _bucketOfRoute[routeKey] = bucket;
            _buckets[bucket] = (remaining, _clock.GetUtcNow().AddSeconds(resetAfter));
        }
    }

    private async Task OnTooManyAsync(string routeKey, HttpResponseMessage response, string text, CancellationToken cancellationToken)
    {
        var retryAfter = 1.0;
        var global = false;
        try
        {
            if (JsonNode.Parse(text) is JsonObject body)
            {
                retryAfter = body["retry_after"]?.GetValue<double>() ?? retryAfter;
                global = body["global"]?.GetValue<bool>() ?? false;
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            retryAfter = Header(response, "Retry-After") is { } h && double.TryParse(h, CultureInfo.InvariantCulture, out var s) ? s : retryAfter;
        }
        global |= Header(response, "X-RateLimit-Global") is "true";
        var until = _clock.GetUtcNow().AddSeconds(retryAfter);
        lock (_gate)
        {
            if (global) _globalUntil = until;
            else if (_bucketOfRoute.TryGetValue(routeKey, out var bucket)) _buckets[bucket] = (0, until);
        }
        LogTooMany(_logger, global ? "global" : routeKey, retryAfter);
        if (!global && !_bucketOfRoute.ContainsKey(routeKey)) await Task.Delay(TimeSpan.FromSeconds(retryAfter), _clock, cancellationToken).ConfigureAwait(false);
    }

    private static (int Code, string Message) ErrorOf(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonObject error)
            {
                return (error["code"]?.GetValue<int>() ?? 0, error["message"]?.GetValue<string>() ?? "no message");
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or FormatException)
        {
            // Not Discord's JSON (an HTML error page from a proxy): the status says enough.
        }
        return (0, text.Length > 200 ? text[..200] : text);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>1, 2, 4, 8 s with a little jitter.</summary>
    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromSeconds(Math.Pow(2, attempt - 1) * (1 + (Random.Shared.NextDouble() * 0.2)));

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord refused the bot token (401). Check Discord:Token (or Discord__Token); no more Discord requests are sent.")]
    private static partial void LogUnauthorized(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: rate limited ({Scope}); waiting {Seconds} s as asked")]
    private static partial void LogTooMany(ILogger logger, string scope, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: {Route} failed ({Error}), attempt {Attempt}; trying again")]
    private static partial void LogRetry(ILogger logger, string route, string error, int attempt);
}
