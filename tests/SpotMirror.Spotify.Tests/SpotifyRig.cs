using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpotMirror.Testing.Spotify;

namespace SpotMirror.Spotify.Tests;

/// <summary>
/// The real Spotify client and provider, composed as the worker composes them (typed HttpClient with the
/// resilience handler), against the loopback fake, with every log line kept.
/// </summary>
public sealed class SpotifyRig : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SpotifyRig(FakeSpotifyServer fake, SpotifyOptions options, TimeProvider clock)
    {
        Fake = fake;
        Options = options;
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton(options);
        services.AddSingleton(clock);
        services.AddSpotifyProvider();
        _services = services.BuildServiceProvider();
        Provider = _services.GetRequiredService<SpotifyProvider>();
        Client = _services.GetRequiredService<SpotifyClient>();
        Usage = _services.GetRequiredService<SpotifyUsage>();
    }

    public FakeSpotifyServer Fake { get; }
    public SpotifyOptions Options { get; }
    public SpotifyProvider Provider { get; }
    public SpotifyClient Client { get; }
    public SpotifyUsage Usage { get; }
    public CapturedLogs Logs { get; } = new();

    public static async Task<SpotifyRig> StartAsync(
        Func<FakeSpotifyServer, SpotifyOptions, SpotifyOptions>? configure = null, SpotifyWorld? world = null, TimeProvider? clock = null)
    {
        var fake = await FakeSpotifyServer.StartAsync(world);
        var options = new SpotifyOptions
        {
            ClientId = fake.ClientId,
            ClientSecret = fake.ClientSecret,
            ApiBaseUrl = fake.ApiBaseUrl,
            AccountsBaseUrl = fake.AccountsBaseUrl,
            MaxAttempts = 3,
            RetryBaseSeconds = 0.01,
            TimeoutSeconds = 10,
        };
        return new SpotifyRig(fake, configure?.Invoke(fake, options) ?? options, clock ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>Every log line at every level, with its exception, so a test can look for what must never be logged.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
