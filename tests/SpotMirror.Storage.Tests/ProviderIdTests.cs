using Dapper;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Storage.Catalog;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>Tracks matched by any provider id they were given, then by normalised artist and title.</summary>
public abstract class ProviderIdTests : IDisposable
{
    private readonly ITempDatabase _db;
    private readonly SqlCatalogStore _catalog;

    protected ProviderIdTests(StoreProvider provider)
    {
        _db = ITempDatabase.Create(provider);
        _catalog = new SqlCatalogStore(_db.Database);
        new StorageInitializer(_db.Database, _catalog).InitializeAsync(seedStarterCatalog: true, CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _db.Dispose();
        GC.SuppressFinalize(this);
    }

    private static TrackInput LastFm(string title, string artist, string id, long? listeners = null, params TagWeight[] tags) =>
        new(title, artist, tags, null, listeners, null, "lastfm", id);

    [Fact]
    public async Task The_starter_catalogues_ids_are_kept_in_the_provider_id_table()
    {
        var starter = await Scalar("SELECT COUNT(*) FROM track_provider_ids WHERE provider = 'starter'");

        Assert.Equal(await _catalog.CountAsync(CancellationToken.None), starter);
    }

    [Fact]
    public async Task A_known_track_learns_a_second_providers_id_and_is_then_matched_by_it()
    {
        var before = await _catalog.CountAsync(CancellationToken.None);

        var first = await _catalog.UpsertAsync([LastFm("Happy", "Pharrell Williams", "pharrell williams/_/happy", 1_900_000)], CancellationToken.None);
        // Last.fm calls it something else now; the id still names the same track.
        var renamed = await _catalog.UpsertAsync([LastFm("Happy (From Despicable Me 2)", "Pharrell Williams", "pharrell williams/_/happy", 2_000_000)], CancellationToken.None);

        Assert.Equal(new ImportResult(0, 1, 0), first);
        Assert.Equal(new ImportResult(0, 1, 0), renamed);
        Assert.Equal(before, await _catalog.CountAsync(CancellationToken.None));
        Assert.Equal(2L, await Scalar("SELECT COUNT(*) FROM track_provider_ids p JOIN tracks t ON t.id = p.track_id WHERE t.title = 'Happy'"));
        Assert.Equal(2_000_000L, await Scalar("SELECT listeners FROM tracks WHERE title = 'Happy'"));
    }

    [Fact]
    public async Task The_same_upsert_twice_changes_nothing_the_second_time()
    {
        var track = LastFm("Hurt", "Johnny Cash", "johnny cash/_/hurt", 1_200_000, new TagWeight("sad", 80));
        await _catalog.UpsertAsync([track], CancellationToken.None);

        var again = await _catalog.UpsertAsync([track], CancellationToken.None);

        Assert.Equal(new ImportResult(0, 0, 1), again);
    }

    [Fact]
    public async Task Upserting_with_ids_returns_each_inputs_track_in_order()
    {
        var (result, ids) = await _db.Alone(u => _catalog.UpsertAsync(u,
            [LastFm("Hurt", "Johnny Cash", "johnny cash/_/hurt"), new TrackInput(" ", "Nobody", []), new TrackInput("happy", "PHARRELL WILLIAMS", [])],
            CancellationToken.None));

        Assert.Equal(new ImportResult(1, 0, 2), result);
        Assert.Equal(3, ids.Count);
        Assert.Null(ids[1]);
        Assert.Equal(await Scalar("SELECT id FROM tracks WHERE title = 'Hurt'"), ids[0]);
        Assert.Equal(await Scalar("SELECT id FROM tracks WHERE title = 'Happy'"), ids[2]);
    }

    private Task<long> Scalar(string sql) => _db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), CancellationToken.None);
}

public sealed class ProviderIdOnSqliteTests() : ProviderIdTests(StoreProvider.Sqlite);

public sealed class ProviderIdOnPostgresTests() : ProviderIdTests(StoreProvider.Postgres);
