using Dapper;
using SpotMirror.Testing;
using SpotMirror.Testing.LastFm;

namespace SpotMirror.Worker.Tests.LastFm;

/// <summary>
/// spotmirror's verbs pointed at the loopback fake Last.fm through LastFm__BaseUrl and LastFm__ApiKey, over a
/// temporary database: `catalog sync` and the console chat as a person runs them, minus the internet. They
/// run in the test's process; <see cref="SyncProcessAsync"/> runs the real binary, for what only its log shows.
/// </summary>
public sealed class LastFmHost : IAsyncDisposable
{
    public const string Tags = "happy,sad,chill";
    public const int PerTag = 4;

    private LastFmHost(FakeLastFmServer fake) => Fake = fake;

    public FakeLastFmServer Fake { get; }
    public TempDatabase Db { get; } = new();

    public static async Task<LastFmHost> StartAsync(LastFmWorld? world = null) => new(await FakeLastFmServer.StartAsync(world));

    /// <summary>Fast pacing and retries for tests; overrides as ("LastFm__CacheHours", "0").</summary>
    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["LastFm__ApiKey"] = Fake.ApiKey,
            ["LastFm__BaseUrl"] = Fake.BaseUrl,
            ["LastFm__RequestsPerSecond"] = "100",
            ["LastFm__RetryBaseSeconds"] = "0.01",
            ["LastFm__MaxAttempts"] = "3",
            ["Http__Enabled"] = "false",
        };
        foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }

    public IReadOnlyList<string> SyncArgs(string tags = Tags, int perTag = PerTag) =>
        ["catalog", "sync", "--db", Db.Path, "--tags", tags, "--per-tag", perTag.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    public Task<ProcessResult> SyncAsync(params (string Key, string? Value)[] overrides) =>
        SpotMirrorCli.RunAsync(SyncArgs(), "", Settings(overrides));

    /// <summary>The sync as a child process, whose standard error carries the host's log lines.</summary>
    public Task<ProcessResult> SyncProcessAsync(params (string Key, string? Value)[] overrides) =>
        SpotMirrorProcess.RunAsync(SyncArgs(), "", Settings(overrides));

    /// <summary>A console chat as "ana", one line per command.</summary>
    public Task<ProcessResult> ChatAsync(IReadOnlyDictionary<string, string?> settings, params string[] lines) =>
        SpotMirrorCli.RunAsync(["chat", "--db", Db.Path, "--user", "ana"], string.Join('\n', lines) + "\n", settings);

    public Task<ProcessResult> ChatAsync(params string[] lines) => ChatAsync(Settings(), lines);

    public Task<T> ScalarAsync<T>(string sql, object? parameters = null) =>
        Db.Database.ReadAsync(async c => (await c.ExecuteScalarAsync<T>(sql, parameters))!, CancellationToken.None);

    public Task<List<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        Db.Database.ReadAsync(async c => (await c.QueryAsync<T>(sql, parameters)).ToList(), CancellationToken.None);

    /// <summary>A stored track's listeners, or null when the track is not in the catalogue.</summary>
    public Task<long?> ListenersAsync(string title, string artist) =>
        ScalarAsync<long?>(
            "SELECT t.listeners FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.title = @title AND a.name = @artist",
            new { title, artist });

    public Task<long> TrackCountAsync(string title, string artist) =>
        ScalarAsync<long>(
            "SELECT COUNT(*) FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.title = @title AND a.name = @artist",
            new { title, artist });

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        Db.Dispose();
    }
}
