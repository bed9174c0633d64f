using System.Globalization;
using Dapper;
using SpotMirror.Testing;
using SpotMirror.Testing.LastFm;
using SpotMirror.Testing.Spotify;

namespace SpotMirror.Worker.Tests.Spotify;

/// <summary>
/// The real spotmirror process pointed at both loopback fakes (Spotify__* and LastFm__* settings) over one
/// temporary database: `catalog sync --provider spotify|lastfm` as a person runs it, minus the internet.
/// </summary>
public sealed class ProvidersHost : IAsyncDisposable
{
    private ProvidersHost(FakeSpotifyServer spotify, FakeLastFmServer lastFm)
    {
        Spotify = spotify;
        LastFm = lastFm;
    }

    public FakeSpotifyServer Spotify { get; }
    public FakeLastFmServer LastFm { get; }
    public TempDatabase Db { get; } = new();

    public static async Task<ProvidersHost> StartAsync() =>
        new(await FakeSpotifyServer.StartAsync(), await FakeLastFmServer.StartAsync());

    /// <summary>Fast retries for tests; overrides as ("Spotify__ClientSecret", null).</summary>
    public Dictionary<string, string?> Settings(params (string Key, string? Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Spotify__ClientId"] = Spotify.ClientId,
            ["Spotify__ClientSecret"] = Spotify.ClientSecret,
            ["Spotify__ApiBaseUrl"] = Spotify.ApiBaseUrl,
            ["Spotify__AccountsBaseUrl"] = Spotify.AccountsBaseUrl,
            ["Spotify__RetryBaseSeconds"] = "0.01",
            ["Spotify__MaxAttempts"] = "3",
            ["LastFm__ApiKey"] = LastFm.ApiKey,
            ["LastFm__BaseUrl"] = LastFm.BaseUrl,
            ["LastFm__RequestsPerSecond"] = "100",
            ["LastFm__RetryBaseSeconds"] = "0.01",
            ["Http__Enabled"] = "false",
        };
        foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }

    public Task<ProcessResult> SpotifySyncAsync(string genres, int perGenre = 10, params (string Key, string? Value)[] overrides) =>
        SpotMirrorProcess.RunAsync(
            ["catalog", "sync", "--db", Db.Path, "--provider", "spotify", "--genres", genres, "--per-genre", perGenre.ToString(CultureInfo.InvariantCulture)],
            "", Settings(overrides));

    public Task<ProcessResult> LastFmSyncAsync(string tags, int perTag = 10) =>
        SpotMirrorProcess.RunAsync(
            ["catalog", "sync", "--db", Db.Path, "--tags", tags, "--per-tag", perTag.ToString(CultureInfo.InvariantCulture)], "", Settings());

    public Task<T> ScalarAsync<T>(string sql, object? parameters = null) =>
        Db.Database.ReadAsync(async c => (await c.ExecuteScalarAsync<T>(sql, parameters))!, CancellationToken.None);

    public Task<List<T>> QueryAsync<T>(string sql, object? parameters = null) =>
        Db.Database.ReadAsync(async c => (await c.QueryAsync<T>(sql, parameters)).ToList(), CancellationToken.None);

    /// <summary>How many catalogue tracks by this artist have a title starting so (folded spellings of one track would each count).</summary>
    public Task<long> CountAsync(string artistStart, string titleStart) =>
        ScalarAsync<long>(
            "SELECT COUNT(*) FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE a.name LIKE @artist AND t.title LIKE @title",
            new { artist = artistStart + "%", title = titleStart + "%" });

    /// <summary>The providers that know the track (one row per provider id), in order.</summary>
    public Task<List<string>> ProvidersOfAsync(string artistStart, string titleStart) =>
        QueryAsync<string>(
            """
            SELECT p.provider FROM track_provider_ids p JOIN tracks t ON t.id = p.track_id JOIN artists a ON a.id = t.artist_id
            WHERE a.name LIKE @artist AND t.title LIKE @title ORDER BY p.provider, p.provider_id
            """,
            new { artist = artistStart + "%", title = titleStart + "%" });

    /// <summary>Folded keys that more than one track holds: a duplicate the matching missed.</summary>
    public Task<List<string>> DuplicatesAsync() =>
        QueryAsync<string>("SELECT match_key FROM tracks GROUP BY match_key HAVING COUNT(*) > 1 ORDER BY match_key");

    public async ValueTask DisposeAsync()
    {
        await Spotify.DisposeAsync();
        await LastFm.DisposeAsync();
        Db.Dispose();
    }
}
