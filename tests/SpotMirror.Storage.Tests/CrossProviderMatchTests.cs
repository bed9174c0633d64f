using Dapper;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>One recording arriving from several providers under several names is stored once, with every provider id.</summary>
public abstract class CrossProviderMatchTests : IDisposable
{
    private readonly StoreFixture _f;

    protected CrossProviderMatchTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    private static TrackInput LastFm(string title, string artist, long listeners = 1000, params TagWeight[] tags) =>
        new(title, artist, tags.Length == 0 ? [new TagWeight("pop", 100)] : tags, Listeners: listeners, Provider: "lastfm", ProviderId: $"{artist}/_/{title}".ToLowerInvariant());

    private static TrackInput Spotify(string title, string artist, string id, string? isrc, int popularity = 50, int? year = null) =>
        new(title, artist, [new TagWeight("dance pop", 100)], year, Provider: "spotify", ProviderId: id)
        {
            Isrc = isrc, Popularity = popularity, ProviderUrl = "https://open.spotify.com/track/" + id, TagsFillOnly = true,
        };

    /// <summary>Each track's title with its providers joined in order; joined here, as the two providers' aggregates are spelt differently.</summary>
    private Task<List<(string Title, string Providers)>> TracksAsync(string artistStart) =>
        _f.Db.Database.ReadAsync(async c => (await c.QueryAsync<(long Id, string Title, string? Provider)>(
            """
            SELECT t.id, t.title, p.provider FROM tracks t JOIN artists a ON a.id = t.artist_id
            LEFT JOIN track_provider_ids p ON p.track_id = t.id
            WHERE a.name LIKE @artist ORDER BY t.id, p.provider, p.provider_id
            """, new { artist = artistStart + "%" }))
            .GroupBy(r => (r.Id, r.Title))
            .Select(g => (g.Key.Title, string.Join(',', g.Where(r => r.Provider is not null).Select(r => r.Provider))))
            .ToList(), CancellationToken.None);

    public static TheoryData<string, string, string, string> AwkwardNames => new()
    {
        { "Happy", "Pharrell Williams", "Happy - From \"Despicable Me 2\"", "Pharrell Williams" },
        { "Get Lucky", "Daft Punk feat. Pharrell Williams", "Get Lucky (feat. Pharrell Williams and Nile Rodgers) - Radio Edit", "Daft Punk" },
        { "Wonderwall", "Oasis", "Wonderwall - Live at Knebworth, 10 August 1996", "Oasis" },
        { "Walking on Sunshine", "Katrina and the Waves", "Walking On Sunshine", "Katrina & The Waves" },
        { "Hoppípolla", "Sigur Rós", "Hoppipolla - 2005 Remaster", "Sigur Ros" },
        { "Love Me Do", "The Beatles", "Love Me Do - Mono / Remastered", "Beatles" },
    };

    [Theory]
    [MemberData(nameof(AwkwardNames))]
    public async Task A_decorated_name_from_spotify_is_the_track_last_fm_named_plainly(string plainTitle, string plainArtist, string title, string artist)
    {
        await _f.Catalog.UpsertAsync([LastFm(plainTitle, plainArtist)], CancellationToken.None);

        var result = await _f.Catalog.UpsertAsync([Spotify(title, artist, "4uLU6hMCjMI75M1A2tKUQC", "USQ4E1300686")], CancellationToken.None);

        Assert.Equal(new ImportResult(0, 1, 0), result);
        Assert.Equal([(plainTitle, "lastfm,spotify")], await TracksAsync(plainArtist[..4]));
    }

    [Fact]
    public async Task The_same_isrc_under_two_spotify_ids_and_two_titles_is_one_track_at_the_higher_popularity()
    {
        await _f.Catalog.UpsertAsync([Spotify("Hurt", "Johnny Cash", "28cnXtME493VX9NOw9cIUh", "USUM70203617", 71, 2002)], CancellationToken.None);

        await _f.Catalog.UpsertAsync([Spotify("Hurt (American Recordings IV)", "Johnny Cash", "0000000000000000000001", "USUM70203617", 30, 2003)], CancellationToken.None);

        Assert.Equal([("Hurt", "spotify,spotify")], await TracksAsync("Johnny"));
        var hurt = (await _f.Catalog.LoadAsync(CancellationToken.None)).Single(t => t.Title == "Hurt");
        Assert.Equal((71, 2002), (hurt.Popularity, hurt.Year));
    }

    [Fact]
    public async Task The_loaded_catalogue_carries_the_spotify_id_of_a_track_met_on_spotify_and_none_for_a_last_fm_only_track()
    {
        await _f.Catalog.UpsertAsync([LastFm("Happy", "Pharrell Williams"), LastFm("Believe", "Cher")], CancellationToken.None);
        await _f.Catalog.UpsertAsync([Spotify("Happy - From \"Despicable Me 2\"", "Pharrell Williams", "60nZcImufyMA1MKQY3dcCH", "USQ4E1300686", 40)], CancellationToken.None);
        await _f.Catalog.UpsertAsync([Spotify("Happy", "Pharrell Williams", "5b88tNINg4Q4nrRbrCXUmg", "USQ4E1300686", 80)], CancellationToken.None);

        var tracks = await _f.Catalog.LoadAsync(CancellationToken.None);

        Assert.Equal("5b88tNINg4Q4nrRbrCXUmg", tracks.Single(t => t.Title == "Happy").SpotifyId);
        Assert.Null(tracks.Single(t => t.Title == "Believe").SpotifyId);
    }

    [Fact]
    public async Task Different_isrcs_keep_a_remaster_apart_from_the_original_however_alike_the_names()
    {
        await _f.Catalog.UpsertAsync([Spotify("Heroes", "David Bowie", "0000000000000000000002", "GBAYE7700064")], CancellationToken.None);

        var result = await _f.Catalog.UpsertAsync([Spotify("Heroes - 2017 Remaster", "David Bowie", "0000000000000000000003", "USJT11700101")], CancellationToken.None);

        Assert.Equal(new ImportResult(1, 0, 0), result);
        Assert.Equal(2, (await TracksAsync("David")).Count);
    }

    [Fact]
    public async Task Tracks_stored_before_folded_keys_existed_are_matched_too()
    {
        await _f.Db.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE tracks SET match_key = NULL", transaction: t), CancellationToken.None);

        var result = await _f.Catalog.UpsertAsync([Spotify("Nightcall - Live", "Kavinsky", "0000000000000000000004", "FR0000000001")], CancellationToken.None);

        Assert.Equal(new ImportResult(0, 1, 0), result);
        Assert.Equal(0L, await _f.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tracks WHERE match_key IS NULL"), CancellationToken.None));
    }

    [Fact]
    public async Task Spotify_genres_tag_an_untagged_track_but_never_replace_another_providers_tags_either_way_round()
    {
        await _f.Catalog.UpsertAsync([Spotify("Levitating", "Dua Lipa", "0000000000000000000005", "GBAHT2000942")], CancellationToken.None);
        await _f.Catalog.UpsertAsync([LastFm("Levitating", "Dua Lipa", 900, new TagWeight("disco", 100), new TagWeight("happy", 60))], CancellationToken.None);
        var again = await _f.Catalog.UpsertAsync([Spotify("Levitating", "Dua Lipa", "0000000000000000000005", "GBAHT2000942")], CancellationToken.None);
        await _f.Catalog.UpsertAsync([Spotify("Physical", "Dua Lipa", "0000000000000000000006", "GBAHT2000943")], CancellationToken.None);

        var tracks = await _f.Catalog.LoadAsync(CancellationToken.None);
        Assert.Equal(["disco", "happy"], tracks.Single(t => t.Title == "Levitating").Tags.Select(t => t.Tag));
        Assert.Equal(["dance pop"], tracks.Single(t => t.Title == "Physical").Tags.Select(t => t.Tag));
        Assert.Equal(new ImportResult(0, 0, 1), again);
    }
}

public sealed class CrossProviderMatchOnSqliteTests() : CrossProviderMatchTests(StoreProvider.Sqlite);

public sealed class CrossProviderMatchOnPostgresTests() : CrossProviderMatchTests(StoreProvider.Postgres);
