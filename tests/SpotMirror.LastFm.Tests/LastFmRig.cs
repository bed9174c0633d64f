using Microsoft.Extensions.Logging.Abstractions;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;
using SpotMirror.Testing.LastFm;

namespace SpotMirror.LastFm.Tests;

/// <summary>The real Last.fm client and provider, with the SQLite response cache, against the loopback fake.</summary>
public sealed class LastFmRig : IAsyncDisposable
{
    private readonly HttpClient _http;

    private LastFmRig(FakeLastFmServer fake, TempDatabase db, LastFmOptions options, TimeProvider clock)
    {
        Fake = fake;
        Db = db;
        Options = options;
        _http = new HttpClient();
        // The pacer keeps real time (at 1,000 a second it never waits long); the cache and retries follow the given clock.
        Pacer = new RequestPacer(options, TimeProvider.System);
        Cache = new SqlResponseCache(db.Database);
        Client = new LastFmClient(_http, options, Pacer, Cache, clock, NullLogger<LastFmClient>.Instance);
        Provider = new LastFmProvider(Client);
    }

    public FakeLastFmServer Fake { get; }
    public TempDatabase Db { get; }
    public LastFmOptions Options { get; }
    public RequestPacer Pacer { get; }
    public SqlResponseCache Cache { get; }
    public LastFmClient Client { get; }
    public LastFmProvider Provider { get; }

    /// <param name="apiKey">The key the client sends; the fake's own by default, null for none.</param>
    public static async Task<LastFmRig> StartAsync(
        string? apiKey = FakeLastFmServer.DefaultKey, int maxAttempts = 3, double timeoutSeconds = 10, double cacheHours = 24,
        TimeProvider? clock = null, LastFmWorld? world = null)
    {
        var fake = await FakeLastFmServer.StartAsync(world);
        var db = new TempDatabase();
        await new Migrator(db.Database).MigrateAsync(CancellationToken.None);
        var options = new LastFmOptions
        {
            ApiKey = apiKey,
            BaseUrl = fake.BaseUrl,
            RequestsPerSecond = 1000,
            MaxAttempts = maxAttempts,
            RetryBaseSeconds = 0,
            TimeoutSeconds = timeoutSeconds,
            CacheHours = cacheHours,
        };
        return new LastFmRig(fake, db, options, clock ?? TimeProvider.System);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Fake.DisposeAsync();
        Db.Dispose();
    }
}
