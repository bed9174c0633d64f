using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Testing.Spotify;

namespace SpotMirror.Spotify.Tests;

/// <summary>What the provider reads from Spotify's answers, and how few calls it spends doing so.</summary>
public sealed class ProviderTests
{
    [Fact]
    public async Task A_genre_search_reads_title_lead_artist_year_popularity_isrc_url_and_genres()
    {
        await using var rig = await SpotifyRig.StartAsync();

        var jazz = await rig.Provider.TagTopTracksAsync("jazz", 10, CancellationToken.None);

        Assert.Equal(["So What", "Aruarian Dance", "Naima - Mono"], jazz.Select(t => t.Title));
        var naima = jazz[2];
        Assert.Equal(("John Coltrane", 1960, "USAT20001403", 52), (naima.Artist, naima.Year, naima.Isrc, naima.Popularity));
        Assert.Equal("https://open.spotify.com/track/" + naima.ProviderId, naima.Url);
        Assert.Equal("spotify", naima.Provider);
        Assert.Equal([new TagWeight("free jazz", 100), new TagWeight("hard bop", 100), new TagWeight("jazz", 100)], naima.Tags);
        Assert.Null(naima.Listeners);
        Assert.Equal((1, 1), (rig.Fake.Count("search"), rig.Fake.Count("artists")));
    }

    [Fact]
    public async Task A_featured_artists_genres_count_half_and_a_release_month_still_gives_the_year()
    {
        await using var rig = await SpotifyRig.StartAsync();

        var found = await rig.Provider.TagTopTracksAsync("pop", 10, CancellationToken.None);

        var lucky = found.Single(t => t.Title.StartsWith("Get Lucky", StringComparison.Ordinal));
        Assert.Equal("Daft Punk", lucky.Artist);
        Assert.Contains(new TagWeight("filter house", 100), lucky.Tags);
        Assert.Contains(new TagWeight("dance pop", 50), lucky.Tags);
        Assert.Contains(new TagWeight("disco", 50), lucky.Tags);
        var compilation = found.Single(t => t.Title == "Someone Like You" && t.Popularity == 40);
        Assert.Equal(2011, compilation.Year);
    }

    [Fact]
    public async Task A_long_genre_pages_fifty_at_a_time_and_asks_for_artists_fifty_at_a_time()
    {
        var world = new SpotifyWorld();
        for (var i = 0; i < 120; i++)
        {
            var artist = new FakeArtist($"Band {i:D3}", ["rock"]);
            world.Add(new FakeSpotifyTrack($"Song {i:D3}", [artist], new FakeAlbum($"Album {i:D3}", "2001-01-01"), 100 - (i / 2), null));
        }
        await using var rig = await SpotifyRig.StartAsync(world: world);

        var rock = await rig.Provider.TagTopTracksAsync("rock", 110, CancellationToken.None);

        Assert.Equal(110, rock.Count);
        Assert.Equal(110, rock.Select(t => t.ProviderId).Distinct().Count());
        var searches = rig.Fake.Requests.Where(r => r.Route == "search").ToList();
        Assert.Equal([("0", "50"), ("50", "50"), ("100", "10")], searches.Select(r => (r["offset"], r["limit"])));
        Assert.All(searches, r => Assert.Equal("genre:\"rock\"", r["q"]));
        var batches = rig.Fake.Requests.Where(r => r.Route == "artists").Select(r => r["ids"]!.Split(',').Length).ToList();
        Assert.Equal([50, 50, 10], batches);
    }

    [Fact]
    public async Task A_search_stops_when_spotify_says_there_is_no_next_page()
    {
        await using var rig = await SpotifyRig.StartAsync();

        var jazz = await rig.Provider.TagTopTracksAsync("jazz", 500, CancellationToken.None);

        Assert.Equal(3, jazz.Count);
        Assert.Equal(1, rig.Fake.Count("search"));
    }

    [Fact]
    public async Task Track_info_for_a_listed_track_costs_nothing_and_for_another_is_one_lookup()
    {
        await using var rig = await SpotifyRig.StartAsync();
        var jazz = await rig.Provider.TagTopTracksAsync("jazz", 10, CancellationToken.None);
        var other = rig.Fake.World.Tracks.Single(t => t.Name == "Kiara");

        var listed = await rig.Provider.TrackInfoAsync(new TrackRef(jazz[0].Artist, jazz[0].Title, jazz[0].ProviderId), CancellationToken.None);
        var calls = rig.Fake.Requests.Count;
        var looked = await rig.Provider.TrackInfoAsync(new TrackRef("Bonobo", "Kiara", other.Id), CancellationToken.None);
        var missing = await rig.Provider.TrackInfoAsync(new TrackRef("Nobody", "Nothing", "0000000000000000000000"), CancellationToken.None);

        Assert.Same(jazz[0], listed);
        Assert.Equal(3, calls);
        Assert.NotNull(looked);
        Assert.Null(looked.Isrc);
        Assert.Equal(2010, looked.Year);
        Assert.Contains(new TagWeight("downtempo", 100), looked.Tags);
        Assert.Null(missing);
        Assert.Equal(2, rig.Fake.Count("track"));
    }

    [Fact]
    public async Task Track_info_without_a_spotify_id_finds_the_track_by_name_through_its_decorations()
    {
        await using var rig = await SpotifyRig.StartAsync();

        var found = await rig.Provider.TrackInfoAsync(new TrackRef("Queen", "Don't Stop Me Now"), CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal("Don't Stop Me Now - Remastered 2011", found.Title);
    }

    [Fact]
    public async Task The_market_goes_with_every_search_and_lookup_when_set()
    {
        await using var rig = await SpotifyRig.StartAsync((_, o) => new SpotifyOptions
        {
            ClientId = o.ClientId, ClientSecret = o.ClientSecret, ApiBaseUrl = o.ApiBaseUrl, AccountsBaseUrl = o.AccountsBaseUrl, Market = "GB",
        });

        await rig.Provider.TagTopTracksAsync("jazz", 5, CancellationToken.None);
        await rig.Provider.TrackInfoAsync(new TrackRef("Bonobo", "Kiara", rig.Fake.World.Tracks.Single(t => t.Name == "Kiara").Id), CancellationToken.None);

        Assert.All(rig.Fake.Requests.Where(r => r.Route is "search" or "track"), r => Assert.Equal("GB", r["market"]));
    }
}
