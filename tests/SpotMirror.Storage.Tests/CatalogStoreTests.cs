using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

public abstract class CatalogStoreTests : IDisposable
{
    private readonly StoreFixture _f;

    protected CatalogStoreTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Tracks_come_back_with_artist_and_tags_strongest_first()
    {
        var nightcall = (await _f.Catalog.LoadAsync(CancellationToken.None)).Single(t => t.Title == "Nightcall");

        Assert.Equal("Kavinsky", nightcall.Artist);
        Assert.Equal(["synthwave", "night"], nightcall.Tags.Select(t => t.Tag));
    }

    [Fact]
    public async Task Tags_of_equal_weight_come_back_in_tag_order_after_the_heavier_ones()
    {
        await _f.Catalog.UpsertAsync(
        [
            new TrackInput("Ties", "Tied Artist",
            [
                new TagWeight("gamma", 10), new TagWeight("delta", 50), new TagWeight("zulu", 100), new TagWeight("beta", 50),
                new TagWeight("alpha", 50), new TagWeight("omega", 10), new TagWeight("kilo", 75.5f),
            ]),
        ], CancellationToken.None);

        var ties = (await _f.Catalog.LoadAsync(CancellationToken.None)).Single(t => t.Title == "Ties");

        Assert.Equal(["zulu", "kilo", "alpha", "beta", "delta", "gamma", "omega"], ties.Tags.Select(t => t.Tag));
        Assert.Equal([100f, 75.5f, 50f, 50f, 50f, 10f, 10f], ties.Tags.Select(t => t.Weight));
    }

    [Fact]
    public async Task The_same_track_written_differently_is_updated_not_duplicated()
    {
        var result = await _f.Catalog.UpsertAsync(
            [new TrackInput("NIGHTCALL", "kavinsky", [new TagWeight("synthwave", 100)], 2010, Listeners: 500)], CancellationToken.None);

        Assert.Equal(new ImportResult(0, 1, 0), result);
        var tracks = await _f.Catalog.LoadAsync(CancellationToken.None);
        Assert.Equal(3, tracks.Count);
        var nightcall = tracks.Single(t => t.Title == "Nightcall");
        Assert.Equal((2010, 500L), (nightcall.Year, nightcall.Listeners));
        Assert.Equal(["synthwave"], nightcall.Tags.Select(t => t.Tag));
    }

    [Fact]
    public async Task Importing_the_same_rows_again_changes_nothing()
    {
        var again = await _f.Catalog.UpsertAsync(
            [new TrackInput("Midnight City", "M83", [new TagWeight("synthpop", 100)])], CancellationToken.None);

        Assert.Equal(new ImportResult(0, 0, 1), again);
    }

    [Fact]
    public async Task Sql_looking_text_is_stored_as_plain_text()
    {
        const string title = "Robert'); DROP TABLE tracks;--";
        await _f.Catalog.UpsertAsync([new TrackInput(title, "Bobby Tables", [new TagWeight("rock", 100)])], CancellationToken.None);

        var tracks = await _f.Catalog.LoadAsync(CancellationToken.None);

        Assert.Contains(tracks, t => t.Title == title);
        Assert.Equal(4, tracks.Count);
    }

    [Fact]
    public async Task Stats_count_the_catalogue()
    {
        var stats = await _f.Catalog.StatsAsync(CancellationToken.None);

        Assert.Equal((3L, 3L, 4L), (stats.Tracks, stats.Artists, stats.Tags));
    }

    [Fact]
    public async Task The_ledger_remembers_which_tracks_a_reply_showed_in_order()
    {
        var user = await _f.UserAsync();
        var sent = new SentMessage("test", "chat", "m1", user, "mood:chill", [_f.TrackIds[2], _f.TrackIds[0]], DateTimeOffset.UtcNow);

        await _f.Db.Alone(u => _f.Ledger.RecordAsync(u, sent, CancellationToken.None));
        var found = await _f.Ledger.FindAsync("test", "chat", "m1", CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal([_f.TrackIds[2], _f.TrackIds[0]], found.TrackIds);
        Assert.Equal((user, "mood:chill"), (found.RequestedBy, found.Context));
        Assert.Null(await _f.Ledger.FindAsync("test", "chat", "m2", CancellationToken.None));
        Assert.Null(await _f.Ledger.FindAsync("test", "other-chat", "m1", CancellationToken.None));
    }

    [Fact]
    public async Task A_user_is_the_same_user_on_every_visit_and_keeps_their_latest_name()
    {
        var first = await _f.Users.ResolveAsync(new ChatUser("telegram", "42", "Ana"), CancellationToken.None);
        var again = await _f.Users.ResolveAsync(new ChatUser("telegram", "42", "Ana B"), CancellationToken.None);
        var elsewhere = await _f.Users.ResolveAsync(new ChatUser("discord", "42", "Ana"), CancellationToken.None);

        Assert.Equal(first, again);
        Assert.NotEqual(first, elsewhere);
    }
}

public sealed class CatalogStoreOnSqliteTests() : CatalogStoreTests(StoreProvider.Sqlite);

public sealed class CatalogStoreOnPostgresTests() : CatalogStoreTests(StoreProvider.Postgres);
