using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using SpotMirror.Core;

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
/// bucket's, or every request's when it is global); retries 5xx, dropped connections and timeouts only
/// for calls that are safe to repeat; and after a 401 refuses to send anything more, since every further
/// call would fail the same way and count toward Discord's invalid-request ban. Typed calls for what the
/// bot needs sit on top.
/// </summary>
/// <remarks>
/// Retries, their backoff and the per-attempt timeout are a Polly pipeline (DiscordOptions.Rest*). The
/// buckets stay hand-written: Polly's limiters take fixed permits, and Discord's are learned per route
/// from response headers and shared by routes Discord groups together.
/// </remarks>
/// <summary>A file sent with a message; the message's attachments name it by its index, its embeds by attachment://Name.</summary>
public sealed record DiscordFile(string Name, string ContentType, IReadOnlyList<byte> Bytes);

public sealed partial class DiscordRest : IDisposable
{
    private static readonly string Version = typeof(DiscordRest).Assembly.GetName().Version?.ToString(3) ?? "1.0.0";
    private static readonly ResiliencePropertyKey<bool> Idempotent = new("discord.idempotent");
    private static readonly ResiliencePropertyKey<string> Route = new("discord.route");
    private readonly HttpClient _http;
    private readonly string _base;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<Answer> _pipeline;
    private readonly SecretRedactor _redactor;
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
        _timeout = TimeSpan.FromSeconds(options.RestTimeoutSeconds);
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        // The pipeline times each attempt; the client's own timeout would cut across the retries.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bot", options.Token);
        _redactor = new SecretRedactor(options.Token);
        _http.DefaultRequestHeaders.UserAgent.ParseAdd($"DiscordBot (https://github.com/spotmirror/spotmirror, {Version})");
        _pipeline = BuildPipeline(options);
    }

    /// <summary>True once Discord has refused the token: no more requests are made.</summary>
    public bool Unauthorized => _unauthorized;

    /// <summary>
    /// Sends one request. route is the template ("POST /channels/{id}/messages") that, with the major
    /// parameter, keys the rate-limit bucket; idempotent says whether a 5xx, a dropped connection or a
    /// timeout may be retried (a 429 always may: Discord did not act on it).
    /// </summary>
    public Task<JsonNode?> SendAsync(HttpMethod method, string route, string majorParameter, string path, JsonNode? body, bool idempotent, CancellationToken cancellationToken) =>
        SendAsync(method, route, majorParameter, path, body, [], idempotent, cancellationToken);

    /// <summary>As above; with files the body goes as multipart/form-data (payload_json, then files[n]).</summary>
    public async Task<JsonNode?> SendAsync(
        HttpMethod method, string route, string majorParameter, string path, JsonNode? body, IReadOnlyList<DiscordFile> files, bool idempotent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var request = new Request(method, $"{method} {route} {majorParameter}", path, body, files);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Idempotent, idempotent);
        context.Properties.Set(Route, route);
        Answer answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Self.SendOnceAsync(state.Request, ctx.CancellationToken), context, (Self: this, Request: request)).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new HttpRequestException($"Discord did not answer {route} within {_timeout.TotalSeconds:0.#} s", exception);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
        if (answer.Status is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous) return answer.Body.Length == 0 ? null : JsonNode.Parse(answer.Body);
        var (code, message) = ErrorOf(answer.Body);
        throw new DiscordRestException(answer.Status, code, message);
    }

    public void Dispose() => _http.Dispose();

    private sealed record Request(HttpMethod Method, string RouteKey, string Path, JsonNode? Body, IReadOnlyList<DiscordFile> Files);

    /// <summary>One attempt's answer; RetryAfter is set on a 429 when the caller must wait before the next.</summary>
    private sealed record Answer(HttpStatusCode Status, string Body, TimeSpan? RetryAfter);

    /// <summary>Retry (outer) over a per-attempt timeout (inner); a 429 waits as Discord said, the rest back off exponentially.</summary>
    private ResiliencePipeline<Answer> BuildPipeline(DiscordOptions options)
    {
        var builder = new ResiliencePipelineBuilder<Answer> { TimeProvider = _clock };
        if (options.RestMaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<Answer>
            {
                MaxRetryAttempts = options.RestMaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(options.RestRetryBaseSeconds),
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome switch
                {
                    { Result.Status: HttpStatusCode.TooManyRequests } => true,
                    { Result.Status: >= HttpStatusCode.InternalServerError } => args.Context.Properties.GetValue(Idempotent, false),
                    { Exception: HttpRequestException or TimeoutRejectedException } => args.Context.Properties.GetValue(Idempotent, false),
                    _ => false,
                }),
                // A 429 has already set the bucket or global pause that WaitForTurnAsync honours; RetryAfter covers a route with no bucket yet.
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result is { Status: HttpStatusCode.TooManyRequests } answer ? answer.RetryAfter ?? TimeSpan.Zero : null),
                OnRetry = args =>
                {
                    if (args.Outcome.Result?.Status != HttpStatusCode.TooManyRequests)
                    {
                        var error = args.Outcome.Exception?.Message ?? $"{(int)args.Outcome.Result!.Status}";
                        LogRetry(_logger, args.Context.Properties.GetValue(Route, "?"), _redactor.Redact(error), args.AttemptNumber + 1);
                    }
                    return default;
                },
            });
        }
        return builder.AddTimeout(TimeSpan.FromSeconds(options.RestTimeoutSeconds)).Build();
    }

    /// <summary>One attempt: wait for the bucket, send, learn the bucket, and latch a 401.</summary>
    private async ValueTask<Answer> SendOnceAsync(Request request, CancellationToken cancellationToken)
    {
        if (_unauthorized) throw new DiscordRestException(HttpStatusCode.Unauthorized, 0, "the token was refused earlier; no more requests are sent");
        await WaitForTurnAsync(request.RouteKey, cancellationToken).ConfigureAwait(false);

        using var message = new HttpRequestMessage(request.Method, _base + request.Path);
        message.Content = ContentOf(request);
        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        Learn(request.RouteKey, response);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized:
                _unauthorized = true;
                LogUnauthorized(_logger);
                var (code, error) = ErrorOf(text);
                throw new DiscordRestException(response.StatusCode, code, error);
            case HttpStatusCode.TooManyRequests:
                return new Answer(response.StatusCode, text, OnTooMany(request.RouteKey, response, text));
            default:
                return new Answer(response.StatusCode, text, null);
        }
    }

    // Built afresh for every attempt: a sent HttpContent cannot be sent again.
    private static HttpContent? ContentOf(Request request)
    {
        var json = request.Body is null ? null : new StringContent(request.Body.ToJsonString(), Encoding.UTF8, "application/json");
        if (request.Files.Count == 0) return json;
        var form = new MultipartFormDataContent();
        if (json is not null) form.Add(json, "payload_json");
        for (var i = 0; i < request.Files.Count; i++)
        {
            var file = new ByteArrayContent(request.Files[i].Bytes.ToArray());
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(request.Files[i].ContentType);
            form.Add(file, $"files[{i}]", request.Files[i].Name);
        }
        return form;
    }

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

    /// <summary>Records a 429's pause (global, or the route's bucket); returns how long the retry itself must wait.</summary>
    private TimeSpan OnTooMany(string routeKey, HttpResponseMessage response, string text)
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
        bool known;
        lock (_gate)
        {
            known = _bucketOfRoute.TryGetValue(routeKey, out var bucket);
            if (global) _globalUntil = until;
            else if (known) _buckets[bucket!] = (0, until);
        }
        LogTooMany(_logger, global ? "global" : routeKey, retryAfter);
        return global || known ? TimeSpan.Zero : TimeSpan.FromSeconds(retryAfter);
    }

    /// <summary>
    /// Discord's code and message; a server or proxy may echo the request, Authorization header and all, so
    /// its words are redacted before they are cut short (a token cut in half would escape the redactor).
    /// </summary>
    private (int Code, string Message) ErrorOf(string text)
    {
        var (code, raw) = RawErrorOf(text);
        var redacted = _redactor.Redact(raw);
        return (code, redacted.Length > 200 ? redacted[..200] : redacted);
    }

    private static (int Code, string Message) RawErrorOf(string text)
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
        return (0, text);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord refused the bot token (401). Check Discord:Token (or Discord__Token); no more Discord requests are sent.")]
    private static partial void LogUnauthorized(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: rate limited ({Scope}); waiting {Seconds} s as asked")]
    private static partial void LogTooMany(ILogger logger, string scope, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: {Route} failed ({Error}), attempt {Attempt}; trying again")]
    private static partial void LogRetry(ILogger logger, string route, string error, int attempt);
}
