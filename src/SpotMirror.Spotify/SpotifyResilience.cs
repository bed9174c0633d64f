using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace SpotMirror.Spotify;

/// <summary>
/// The resilience handler of Spotify's HttpClient: a 429 waits exactly what its Retry-After says (and is not
/// waited out when that is longer than Spotify:MaxRetryAfterSeconds), a 5xx, a dropped connection or a slow
/// answer (over Spotify:TimeoutSeconds) is retried with exponential backoff, up to Spotify:MaxAttempts tries
/// in all. Token refresh on a 401 stays in <see cref="SpotifyClient"/>: it needs a new request, not a resend.
/// </summary>
public static partial class SpotifyResilience
{
    public const string PipelineName = "spotify";

    /// <summary>
    /// The client (one instance, holding the token cache), its HttpClient with this resilience handler and no
    /// request logging, the usage counters and the provider. SpotifyOptions and a TimeProvider come from the caller.
    /// </summary>
    public static IServiceCollection AddSpotifyProvider(this IServiceCollection services)
    {
        services.AddSingleton<SpotifyUsage>();
        // The provider is a singleton holding one typed client, so connections are recycled by the handler rather than the factory.
        services.AddHttpClient<SpotifyClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddSpotifyResilience();
        services.AddSingleton<SpotifyProvider>();
        return services;
    }

    public static IHttpClientBuilder AddSpotifyResilience(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddResilienceHandler(PipelineName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<SpotifyOptions>();
            var usage = context.ServiceProvider.GetRequiredService<SpotifyUsage>();
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SpotifyResilience));
            if (options.MaxAttempts > 1) pipeline.AddRetry(Retry(options, usage, logger));
            pipeline.AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
        });
        return builder;
    }

    private static HttpRetryStrategyOptions Retry(SpotifyOptions options, SpotifyUsage usage, ILogger logger) => new()
    {
        MaxRetryAttempts = options.MaxAttempts - 1,
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = false,
        Delay = TimeSpan.FromSeconds(options.RetryBaseSeconds),
        MaxDelay = TimeSpan.FromMinutes(1),
        // Retry-After is read below, where an answer asking for too long a wait can be refused.
        ShouldRetryAfterHeader = false,
        ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result: { StatusCode: HttpStatusCode.TooManyRequests } limited } =>
                RetryAfter(limited) is not { } wait || wait.TotalSeconds <= options.MaxRetryAfterSeconds,
            { Result: { } answer } => (int)answer.StatusCode >= 500 || answer.StatusCode == HttpStatusCode.RequestTimeout,
            _ => false,
        }),
        DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } limited ? RetryAfter(limited) : null),
        OnRetry = args =>
        {
            usage.CountRetry();
            var reason = args.Outcome.Result is { } answer
                ? "HTTP " + ((int)answer.StatusCode).ToString(CultureInfo.InvariantCulture)
                : args.Outcome.Exception is TimeoutRejectedException ? "no answer in time" : "the connection failed";
            LogRetrying(logger, reason, args.AttemptNumber + 1, options.MaxAttempts, args.RetryDelay.TotalMilliseconds);
            return ValueTask.CompletedTask;
        },
    };

    /// <summary>How long a 429 asks to wait: Retry-After in seconds or as a date; null when it says nothing.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify: {Reason}; try {Attempt} of {MaxAttempts} failed, retrying in {DelayMilliseconds:F0} ms")]
    private static partial void LogRetrying(ILogger logger, string reason, int attempt, int maxAttempts, double delayMilliseconds);
}
