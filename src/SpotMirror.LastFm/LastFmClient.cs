using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using SpotMirror.Core;
using SpotMirror.Core.Ports;

namespace SpotMirror.LastFm;

/// <summary>
/// Last.fm's JSON API over a typed HttpClient, as one call: <see cref="CallAsync"/> adds the API key, waits
/// for the pacer, retries what is worth retrying with backoff, maps Last.fm's error codes to
/// <see cref="MetadataFailure"/>s and keeps catalogue answers in the response cache. URLs carry the key in
/// their query, so no URL is ever logged, and any text from outside has the key blotted out.
/// </summary>
/// <remarks>
/// Retries and the per-attempt timeout are a Polly pipeline inside the client, not an HttpClient handler:
/// Last.fm reports "busy" (error 29) and its temporary errors inside a 200's JSON body, which only the
/// client reads.
/// </remarks>
public sealed partial class LastFmClient(
    HttpClient http,
    LastFmOptions options,
    RequestPacer pacer,
    IResponseCache cache,
    TimeProvider clock,
    ILogger<LastFmClient> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);
    private static readonly ResiliencePropertyKey<string> Method = new("lastfm.method");
    private readonly ResiliencePipeline<Outcome> _retry = RetryPipeline(options, pacer, clock, logger);
    private readonly ResiliencePipeline _timeout = new ResiliencePipelineBuilder { TimeProvider = clock }
        .AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds)).Build();
    private readonly SecretRedactor _redactor = new(options.ApiKey);

    /// <summary>
    /// Calls one method and returns the root of its JSON answer. cacheable: a public catalogue answer that may
    /// be served from (and kept in) the response cache; a person's own lists are never cached.
    /// </summary>
    public async Task<JsonElement> CallAsync(
        string method, IReadOnlyList<KeyValuePair<string, string>> parameters, bool cacheable, CancellationToken cancellationToken)
    {
        if (!options.HasApiKey) throw new MetadataException(MetadataFailure.NotConfigured, LastFmOptions.MissingKeyMessage);
        var key = CacheKey(method, parameters);
        var useCache = cacheable && options.CacheHours > 0;
        if (useCache && await cache.GetAsync(key, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false) is { } cached
            && TryParse(cached, out var kept))
        {
            pacer.CountCacheHit();
            return kept;
        }

        var (root, body) = await FetchAsync(method, parameters, cancellationToken).ConfigureAwait(false);
        if (useCache)
        {
            var now = clock.GetUtcNow();
            await cache.PutAsync(key, body, now, now + TimeSpan.FromHours(options.CacheHours), cancellationToken).ConfigureAwait(false);
        }
        return root;
    }

    /// <summary>The method and its parameters in a fixed order: what names an answer in the cache. Never the key.</summary>
    internal static string CacheKey(string method, IReadOnlyList<KeyValuePair<string, string>> parameters) =>
        method.ToLowerInvariant() + "?" + string.Join('&', parameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private async Task<(JsonElement Root, string Body)> FetchAsync(
        string method, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var uri = RequestUri(method, parameters);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Method, method);
        Outcome outcome;
        try
        {
            outcome = await _retry.ExecuteAsync(
                static (ctx, state) => state.Self.AttemptAsync(state.Method, state.Uri, ctx.CancellationToken), context, (Self: this, Method: method, Uri: uri)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
        if (outcome.Root is { } root) return (root, outcome.Body!);
        if (outcome.Failure is { } failure) throw new MetadataException(failure, outcome.Reason);
        LogGaveUp(logger, method, options.MaxAttempts, outcome.Reason);
        throw new MetadataException(
            MetadataFailure.Unavailable,
            $"Last.fm did not answer {method} properly after {options.MaxAttempts} {(options.MaxAttempts == 1 ? "try" : "tries")} (last: {outcome.Reason}). Try again later.");
    }

    /// <summary>Retries an attempt that says "try again" (busy, 5xx, slow, malformed): base × 2^n, capped at a minute, no jitter.</summary>
    private static ResiliencePipeline<Outcome> RetryPipeline(LastFmOptions options, RequestPacer pacer, TimeProvider clock, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<Outcome> { TimeProvider = clock };
        if (options.MaxAttempts <= 1) return builder.Build();
        return builder.AddRetry(new RetryStrategyOptions<Outcome>
        {
            MaxRetryAttempts = options.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromSeconds(options.RetryBaseSeconds),
            MaxDelay = MaxBackoff,
            UseJitter = false,
            ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result is { Root: null, Failure: null }),
            OnRetry = args =>
            {
                pacer.CountRetry();
                LogRetrying(logger, args.Context.Properties.GetValue(Method, "?"), args.Outcome.Result.Reason,
                    args.AttemptNumber + 1, options.MaxAttempts, args.RetryDelay.TotalMilliseconds);
                return default;
            },
        }).Build();
    }

    /// <summary>One try: a turn from the pacer (not timed), then the request under the per-attempt timeout.</summary>
    private async ValueTask<Outcome> AttemptAsync(string method, Uri uri, CancellationToken cancellationToken)
    {
        await pacer.WaitTurnAsync(cancellationToken).ConfigureAwait(false);
        return await _timeout.ExecuteAsync(
            static (state, token) => state.Self.SendOnceAsync(state.Method, state.Uri, token, state.Caller),
            (Self: this, Method: method, Uri: uri, Caller: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private Uri RequestUri(string method, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var query = new StringBuilder(options.BaseUrl).Append("?method=").Append(Uri.EscapeDataString(method));
        foreach (var (name, value) in parameters) query.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        query.Append("&api_key=").Append(Uri.EscapeDataString(options.ApiKey!)).Append("&format=json");
        return new Uri(query.ToString(), UriKind.Absolute);
    }

    /// <summary>token is the attempt's (the timeout cancels it); caller is the caller's, whose cancellation is not a timeout.</summary>
    private async ValueTask<Outcome> SendOnceAsync(string method, Uri uri, CancellationToken token, CancellationToken caller)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
            return Interpret(method, response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!caller.IsCancellationRequested)
        {
            return Outcome.Retry($"no answer within {options.TimeoutSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
        }
        catch (HttpRequestException exception)
        {
            return Outcome.Retry("the connection failed: " + Redact(exception.Message));
        }
    }

    private Outcome Interpret(string method, HttpStatusCode status, string body)
    {
        var code = (int)status;
        var retryable = code >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
        if (!TryParse(body, out var root))
        {
            if (retryable) return Outcome.Retry($"HTTP {code}");
            return code is >= 200 and < 300
                ? Outcome.Retry("a malformed answer (not JSON)")
                : Outcome.Fail(MetadataFailure.Refused, $"Last.fm answered {method} with HTTP {code}.");
        }
        if (LastFmJson.ErrorCode(root) is { } error)
        {
            return Classify(method, error, Redact(LastFmJson.Text(root, "message") ?? "no message"));
        }
        if (retryable) return Outcome.Retry($"HTTP {code}");
        if (code is < 200 or >= 300) return Outcome.Fail(MetadataFailure.Refused, $"Last.fm answered {method} with HTTP {code}.");
        return new Outcome(root, body, null, "");
    }

    /// <summary>Last.fm's error codes: a bad key stops everything, busy and temporary errors are retried, 6 means not found.</summary>
    internal static Outcome Classify(string method, int error, string message) => error switch
    {
        4 or 10 or 26 => Outcome.Fail(MetadataFailure.InvalidCredentials,
            $"Last.fm rejected the API key (error {error}: {message}). Check LastFm:ApiKey (LastFm__ApiKey); a key comes from {LastFmOptions.KeyPage}."),
        29 => Outcome.Retry("rate limit exceeded (error 29)"),
        8 or 11 or 16 => Outcome.Retry($"a temporary Last.fm error (error {error}: {message})"),
        6 => Outcome.Fail(MetadataFailure.NotFound, $"Last.fm does not know that ({message})."),
        _ => Outcome.Fail(MetadataFailure.Refused, $"Last.fm refused {method} (error {error}: {message})."),
    };

    private string Redact(string text) => _redactor.Redact(text);

    private static bool TryParse(string body, out JsonElement root)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }

    /// <summary>One try's result: an answer (Root and Body), a failure that ends the call, or a reason to try again.</summary>
    internal readonly record struct Outcome(JsonElement? Root, string? Body, MetadataFailure? Failure, string Reason)
    {
        public static Outcome Retry(string reason) => new(null, null, null, reason);

        public static Outcome Fail(MetadataFailure failure, string reason) => new(null, null, failure, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Last.fm {Method}: {Reason}; try {Attempt} of {MaxAttempts} failed, retrying in {DelayMilliseconds:F0} ms")]
    private static partial void LogRetrying(ILogger logger, string method, string reason, int attempt, int maxAttempts, double delayMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Last.fm {Method}: giving up after {Attempts} tries ({Reason})")]
    private static partial void LogGaveUp(ILogger logger, string method, int attempts, string reason);
}
