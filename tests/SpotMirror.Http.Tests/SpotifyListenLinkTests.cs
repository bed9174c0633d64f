using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;

namespace SpotMirror.Http.Tests;

/// <summary>A track met on Spotify links to its Spotify page in the API's JSON and on the web page; any other track to a search.</summary>
public sealed class SpotifyListenLinkTests : IAsyncLifetime
{
    private const string HurtId = "28cnXtME493VX9NOw9cIUh";
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync(SeedAsync);

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    /// <summary>A catalogue of two tracks: one from Last.fm that Spotify also listed (one track, two provider ids), one from Last.fm only.</summary>
    private static async Task SeedAsync(TempDatabase db)
    {
        await new Migrator(db.Database).MigrateAsync(CancellationToken.None);
        var catalog = new SqlCatalogStore(db.Database);
        await catalog.UpsertAsync(
        [
            new TrackInput("Hurt", "Johnny Cash", [new TagWeight("country", 100)], 2002, Listeners: 900_000, Playcount: 5_000_000, Provider: "lastfm", ProviderId: "johnny cash/_/hurt"),
            new TrackInput("Believe", "Cher", [new TagWeight("pop", 100)], 1998, Listeners: 800_000, Playcount: 4_000_000, Provider: "lastfm", ProviderId: "cher/_/believe"),
        ], CancellationToken.None);
        await catalog.UpsertAsync(
        [
            new TrackInput("Hurt", "Johnny Cash", [new TagWeight("country", 100)], 2002, Provider: "spotify", ProviderId: HurtId)
            {
                Isrc = "USUM70203617", Popularity = 71, ProviderUrl = "https://open.spotify.com/track/" + HurtId, TagsFillOnly = true,
            },
        ], CancellationToken.None);
    }

    [Fact]
    public async Task The_api_gives_the_spotify_track_page_for_a_track_with_a_spotify_id_and_a_search_for_the_other()
    {
        var list = await _host.GetJsonAsync<TrackList>("/popular?top=5");

        Assert.Equal("https://open.spotify.com/track/" + HurtId, list.Tracks.Single(t => t.Title == "Hurt").Links.Single(l => l.Service == "spotify").Url);
        Assert.Equal("https://open.spotify.com/search/Cher%20Believe", list.Tracks.Single(t => t.Title == "Believe").Links.Single(l => l.Service == "spotify").Url);
    }

    [Fact]
    public async Task The_web_page_links_the_same_spotify_track_page()
    {
        var html = await _host.Client.GetStringAsync(new Uri("/web/for-you", UriKind.Relative));

        Assert.Contains($"href=\"https://open.spotify.com/track/{HurtId}\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://open.spotify.com/search/Cher%20Believe\"", html, StringComparison.Ordinal);
    }
}
