using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>Preferences imported by /link: kept apart from the preference table, seen in memory as a sum, gone on unlink.</summary>
public abstract class LinkStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 10, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly StoreProvider _provider;
    private readonly StoreFixture _f;
    private readonly SqlLinkStore _links;

    protected LinkStoreTests(StoreProvider provider)
    {
        _provider = provider;
        _f = new StoreFixture(provider);
        _links = new SqlLinkStore(_f.Db.Database, _f.Learner);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed record PreferenceRow(long UserId, long TrackId, double Score, long HardDislikes, long UpdatedAt);

    private static Task<List<PreferenceRow>> RowsAsync(StoreFixture f) =>
        f.Db.Database.ReadAsync(async c => (await c.QueryAsync<PreferenceRow>(
            "SELECT user_id, track_id, score, hard_dislikes, updated_at FROM preferences ORDER BY user_id, track_id")).ToList(), CancellationToken.None);

    /// <summary>The same explicit feedback in order: a like on track 0, a hiding dislike on track 2, then (after any import) a like on track 1.</summary>
    private static async Task ReactAsync(StoreFixture f, long user, bool late)
    {
        if (!late)
        {
            await f.Preferences.ApplyAsync(f.Feedback("e1", user, true, 1.0, at: Start, tracks: f.TrackIds[0]), CancellationToken.None);
            await f.Preferences.ApplyAsync(f.Feedback("e2", user, true, -2.0, hides: true, emoji: "👎", at: Start.AddDays(1), tracks: f.TrackIds[2]), CancellationToken.None);
        }
        else
        {
            await f.Preferences.ApplyAsync(f.Feedback("e3", user, true, 1.0, emoji: "❤️", at: Start.AddDays(5), tracks: f.TrackIds[1]), CancellationToken.None);
        }
    }

    [Fact]
    public async Task Unlinking_leaves_the_preference_table_exactly_as_without_the_import()
    {
        using var twin = new StoreFixture(_provider);
        var user = await _f.UserAsync();
        var twinUser = await twin.UserAsync();
        await ReactAsync(_f, user, late: false);
        await ReactAsync(twin, twinUser, late: false);

        // The import covers a track liked before it (0) and a track loved only after it (1).
        await _f.Db.Alone(u => _links.ReplaceAsync(u, user, "lastfm", "rj", [(_f.TrackIds[0], 0.7), (_f.TrackIds[1], 0.3)], Start.AddDays(3), CancellationToken.None));
        await ReactAsync(_f, user, late: true);
        await ReactAsync(twin, twinUser, late: true);
        var (removed, _) = await _f.Db.Alone(u => _links.RemoveAsync(u, user, null, Start.AddDays(9), CancellationToken.None));

        Assert.Equal("rj", Assert.Single(removed).Account);
        Assert.Equal(await RowsAsync(twin), await RowsAsync(_f));
        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM imported_preferences"));
        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM linked_accounts"));
    }

    [Fact]
    public async Task An_import_never_writes_the_preference_table()
    {
        var user = await _f.UserAsync();
        await ReactAsync(_f, user, late: false);
        var before = await RowsAsync(_f);

        await _f.Db.Alone(u => _links.ReplaceAsync(u, user, "lastfm", "rj", [(_f.TrackIds[0], 0.7), (_f.TrackIds[1], 0.3)], Start.AddDays(3), CancellationToken.None));

        Assert.Equal(before, await RowsAsync(_f));
    }

    [Fact]
    public async Task Loading_preferences_adds_the_import_on_top_of_explicit_feedback_decayed_alike()
    {
        var user = await _f.UserAsync();
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0, at: Start, tracks: _f.TrackIds[0]), CancellationToken.None);
        var importedAt = Start.AddDays(90);
        await _f.Db.Alone(u => _links.ReplaceAsync(u, user, "lastfm", "rj", [(_f.TrackIds[0], 0.4), (_f.TrackIds[1], 0.3)], importedAt, CancellationToken.None));

        var loaded = (await _f.Preferences.LoadAsync(CancellationToken.None)).ToDictionary(e => e.TrackId);

        // One half-life (90 days) halves the like before the import is added.
        Assert.Equal(0.5 + 0.4, loaded[_f.TrackIds[0]].Score, 9);
        Assert.Equal(importedAt, loaded[_f.TrackIds[0]].UpdatedAt);
        Assert.Equal(0.3, loaded[_f.TrackIds[1]].Score, 9);
    }

    [Fact]
    public async Task Streaming_preferences_gives_what_loading_gives_imports_included()
    {
        var user = await _f.UserAsync();
        var other = await _f.UserAsync("someone-else");
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0, at: Start, tracks: _f.TrackIds[0]), CancellationToken.None);
        await _f.Preferences.ApplyAsync(_f.Feedback("e2", other, true, 2.0, at: Start, tracks: _f.TrackIds[2]), CancellationToken.None);
        await _f.Db.Alone(u => _links.ReplaceAsync(u, user, "lastfm", "rj", [(_f.TrackIds[0], 0.4), (_f.TrackIds[1], 0.3)], Start.AddDays(90), CancellationToken.None));
        var streamed = new List<Core.Preferences.PreferenceEntry>();

        var count = await _f.Preferences.StreamAsync(chunk => streamed.AddRange(chunk), CancellationToken.None);

        var loaded = await _f.Preferences.LoadAsync(CancellationToken.None);
        Assert.Equal(3, count);
        Assert.Equal(loaded.OrderBy(e => (e.UserId, e.TrackId)), streamed.OrderBy(e => (e.UserId, e.TrackId)));
    }

    [Fact]
    public async Task Feedback_on_an_imported_track_hands_back_the_sum_for_the_in_memory_matrix()
    {
        var user = await _f.UserAsync();
        await _f.Db.Alone(u => _links.ReplaceAsync(u, user, "lastfm", "rj", [(_f.TrackIds[0], 0.7)], Start, CancellationToken.None));

        var result = await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0, at: Start, tracks: _f.TrackIds[0]), CancellationToken.None);

        Assert.Equal(1.7, Assert.Single(result.Changed).Score, 9);
        Assert.Equal(1.0, Assert.Single(await RowsAsync(_f)).Score);
    }

    [Fact]
    public async Task Relinking_replaces_the_last_import_and_reports_every_track_it_touched()
    {
        var user = await _f.UserAsync();
        await _f.Db.Alone(u => _links.ReplaceAsync(u, user, "lastfm", "rj", [(_f.TrackIds[0], 0.7)], Start, CancellationToken.None));

        var entries = await _f.Db.Alone(u => _links.ReplaceAsync(u, user, "lastfm", "someone-else", [(_f.TrackIds[1], 0.3)], Start.AddDays(1), CancellationToken.None));

        Assert.Equal([(_f.TrackIds[0], 0.0), (_f.TrackIds[1], 0.3)], entries.OrderBy(e => e.TrackId).Select(e => (e.TrackId, Math.Round(e.Score, 9))));
        var link = Assert.Single(await _links.LinksAsync(user, CancellationToken.None));
        Assert.Equal(("lastfm", "someone-else", 1), (link.Service, link.Account, link.Imported));
    }

    [Fact]
    public async Task Unlinking_hands_back_the_explicit_score_alone_and_keeps_other_people_untouched()
    {
        var ana = await _f.UserAsync("ana");
        var bob = await _f.UserAsync("bob");
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", ana, true, 1.0, at: Start, tracks: _f.TrackIds[0]), CancellationToken.None);
        await _f.Db.Alone(u => _links.ReplaceAsync(u, ana, "lastfm", "rj", [(_f.TrackIds[0], 0.7), (_f.TrackIds[1], 0.3)], Start, CancellationToken.None));
        await _f.Db.Alone(u => _links.ReplaceAsync(u, bob, "lastfm", "bob", [(_f.TrackIds[1], 0.3)], Start, CancellationToken.None));

        var (_, entries) = await _f.Db.Alone(u => _links.RemoveAsync(u, ana, "lastfm", Start.AddDays(1), CancellationToken.None));

        var byTrack = entries.ToDictionary(e => e.TrackId);
        Assert.Equal((1.0, Start), (byTrack[_f.TrackIds[0]].Score, byTrack[_f.TrackIds[0]].UpdatedAt));
        Assert.Equal(0.0, byTrack[_f.TrackIds[1]].Score);
        Assert.Single(await _links.LinksAsync(bob, CancellationToken.None));
    }

    [Fact]
    public async Task Forgetting_a_user_takes_their_links_and_imports_with_them()
    {
        var user = await _f.UserAsync();
        await _f.Db.Alone(u => _links.ReplaceAsync(u, user, "lastfm", "rj", [(_f.TrackIds[0], 0.7)], Start, CancellationToken.None));

        await _f.Db.Alone(u => _f.Users.ForgetAsync(u, user, CancellationToken.None));

        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM linked_accounts"));
        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM imported_preferences"));
    }

    private Task<long> Scalar(string sql) => _f.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), CancellationToken.None);
}

public sealed class LinkStoreOnSqliteTests() : LinkStoreTests(StoreProvider.Sqlite);

public sealed class LinkStoreOnPostgresTests() : LinkStoreTests(StoreProvider.Postgres);
