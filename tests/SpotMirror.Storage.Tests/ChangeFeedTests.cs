using Dapper;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>The change feed other workers follow: written with the change, in commit order, never for what did not commit.</summary>
public abstract class ChangeFeedTests(StoreProvider provider) : IDisposable
{
    private readonly StoreFixture _f = new(provider);

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    private SqlChangeFeed Feed => new(_f.Db.Database);

    [Fact]
    public async Task Applied_feedback_is_one_change_holding_the_cells_it_committed_and_a_redelivery_adds_none()
    {
        var user = await _f.UserAsync();
        var start = await Feed.LastIdAsync(CancellationToken.None);

        var first = await _f.Db.Alone(u => _f.Preferences.ApplyAsync(u, _f.Feedback("e1", user, true, 1.0), CancellationToken.None));
        await _f.Db.Alone(u => _f.Preferences.ApplyAsync(u, _f.Feedback("e1", user, true, 1.0), CancellationToken.None));

        var change = Assert.Single(await Feed.AfterAsync(start, 100, CancellationToken.None));
        Assert.Equal(ChangeKind.Preferences, change.Kind);
        Assert.Equal(user, change.UserId);
        Assert.Equal(first.Changed, change.Entries);
    }

    [Fact]
    public async Task Forgetting_someone_is_a_forget_change_and_forgetting_nobody_is_none()
    {
        var user = await _f.UserAsync();
        var start = await Feed.LastIdAsync(CancellationToken.None);

        await _f.Db.Alone(u => _f.Users.ForgetAsync(u, user, CancellationToken.None));
        await _f.Db.Alone(u => _f.Users.ForgetAsync(u, user, CancellationToken.None));

        var change = Assert.Single(await Feed.AfterAsync(start, 100, CancellationToken.None));
        Assert.Equal((ChangeKind.Forget, (long?)user), (change.Kind, change.UserId));
    }

    [Fact]
    public async Task New_tracks_are_a_catalogue_change_and_an_unchanged_import_is_none()
    {
        var start = await Feed.LastIdAsync(CancellationToken.None);
        TrackInput[] tracks = [new("Windowlicker", "Aphex Twin", [new TagWeight("idm", 100)])];

        await _f.Catalog.UpsertAsync(tracks, CancellationToken.None);
        await _f.Catalog.UpsertAsync(tracks, CancellationToken.None);

        Assert.Equal(ChangeKind.Catalogue, Assert.Single(await Feed.AfterAsync(start, 100, CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task A_unit_that_rolls_back_leaves_no_change_behind()
    {
        var user = await _f.UserAsync();
        var start = await Feed.LastIdAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _f.Db.Alone(async u =>
        {
            await _f.Preferences.ApplyAsync(u, _f.Feedback("e1", user, true, 1.0), CancellationToken.None);
            throw new InvalidOperationException("the batch fails after the feedback");
        }));

        Assert.Empty(await Feed.AfterAsync(start, 100, CancellationToken.None));
        Assert.Equal(start, await Feed.LastIdAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_units_cells_are_one_change_written_before_any_other_change_it_makes_after_them()
    {
        var (ana, bea) = (await _f.UserAsync("ana"), await _f.UserAsync("bea"));
        var start = await Feed.LastIdAsync(CancellationToken.None);

        var (first, second, third) = await _f.Db.Alone(async u =>
        {
            var a = await _f.Preferences.ApplyAsync(u, _f.Feedback("e1", ana, true, 1.0, tracks: _f.TrackIds[0]), CancellationToken.None);
            var b = await _f.Preferences.ApplyAsync(u, _f.Feedback("e2", bea, true, 1.0, tracks: _f.TrackIds[1]), CancellationToken.None);
            await _f.Users.ForgetAsync(u, bea, CancellationToken.None);
            var c = await _f.Preferences.ApplyAsync(u, _f.Feedback("e3", ana, true, 1.0, emoji: "❤️", tracks: _f.TrackIds[2]), CancellationToken.None);
            return (a, b, c);
        });

        var changes = await Feed.AfterAsync(start, 100, CancellationToken.None);
        Assert.Equal([ChangeKind.Preferences, ChangeKind.Forget, ChangeKind.Preferences], changes.Select(c => c.Kind));
        Assert.Null(changes[0].UserId);
        Assert.Equal(first.Changed.Concat(second.Changed), changes[0].Entries);
        Assert.Equal(bea, changes[1].UserId);
        Assert.Equal(ana, changes[2].UserId);
        Assert.Equal(third.Changed, changes[2].Entries);
    }

    [Fact]
    public async Task A_transaction_of_more_cells_than_one_change_holds_is_several_changes_that_replay_every_cell_in_order()
    {
        var user = await _f.UserAsync();
        var start = await Feed.LastIdAsync(CancellationToken.None);
        var events = SqlChangeFeed.MaxCellsPerChange + 44;

        var results = await _f.Db.Alone(async u =>
        {
            var applied = new List<FeedbackResult>();
            for (var i = 0; i < events; i++)
            {
                applied.Add(await _f.Preferences.ApplyAsync(u, _f.Feedback($"e{i}", user, true, 1.0, tracks: _f.TrackIds[i % 3]) with { MessageId = $"m{i}" }, CancellationToken.None));
            }
            return applied;
        });

        var changes = await Feed.AfterAsync(start, 100, CancellationToken.None);
        Assert.Equal([SqlChangeFeed.MaxCellsPerChange, 44], changes.Select(c => c.Entries.Count));
        Assert.Equal(results.SelectMany(r => r.Changed), changes.SelectMany(c => c.Entries));
    }

    [Fact]
    public async Task A_step_that_fails_takes_back_its_cells_and_any_change_it_wrote_but_not_the_cells_before_it()
    {
        var (ana, bea, cy) = (await _f.UserAsync("ana"), await _f.UserAsync("bea"), await _f.UserAsync("cy"));
        var start = await Feed.LastIdAsync(CancellationToken.None);

        var (first, third) = await _f.Db.Alone(async u =>
        {
            var a = await _f.Preferences.ApplyAsync(u, _f.Feedback("e1", ana, true, 1.0, tracks: _f.TrackIds[0]), CancellationToken.None);
            await Assert.ThrowsAsync<InvalidOperationException>(() => u.StepAsync<int>(async ct =>
            {
                await _f.Preferences.ApplyAsync(u, _f.Feedback("e2", bea, true, 1.0, tracks: _f.TrackIds[1]), ct);
                // Forgetting writes the cells kept so far (ana's and bea's) before its own change; the step takes both rows back.
                await _f.Users.ForgetAsync(u, cy, ct);
                throw new InvalidOperationException("the step fails after a change was written");
            }, CancellationToken.None));
            var c = await _f.Preferences.ApplyAsync(u, _f.Feedback("e3", ana, true, 1.0, emoji: "❤️", tracks: _f.TrackIds[2]), CancellationToken.None);
            return (a, c);
        });

        var change = Assert.Single(await Feed.AfterAsync(start, 100, CancellationToken.None));
        Assert.Equal((ChangeKind.Preferences, (long?)ana), (change.Kind, change.UserId));
        Assert.Equal(first.Changed.Concat(third.Changed), change.Entries);
        Assert.NotNull(await _f.Users.FindAsync("test", "cy", CancellationToken.None));
    }

    [Fact]
    public async Task Changes_come_back_in_commit_order_a_page_at_a_time()
    {
        var user = await _f.UserAsync();
        var start = await Feed.LastIdAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            var eventId = $"e{i}";
            await _f.Db.Alone(u => _f.Preferences.ApplyAsync(u, _f.Feedback(eventId, user, i % 2 == 0, 1.0), CancellationToken.None));
        }

        var firstPage = await Feed.AfterAsync(start, 2, CancellationToken.None);
        var rest = await Feed.AfterAsync(firstPage[^1].Id, 100, CancellationToken.None);

        var ids = firstPage.Concat(rest).Select(c => c.Id).ToList();
        Assert.Equal(5, ids.Count);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids[^1], await Feed.LastIdAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_change_this_process_wrote_is_local_and_one_another_process_wrote_is_not()
    {
        var user = await _f.UserAsync();
        var start = await Feed.LastIdAsync(CancellationToken.None);

        await _f.Db.Alone(u => _f.Users.ForgetAsync(u, user, CancellationToken.None));
        await _f.Db.Database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO changes (kind, user_id, entries, origin, created_at) VALUES ('forget', 99, '[]', 'another-worker', 0)", transaction: t), CancellationToken.None);

        var changes = await Feed.AfterAsync(start, 10, CancellationToken.None);
        Assert.Equal([(user, true), (99L, false)], changes.Select(c => (c.UserId!.Value, c.Local)));
    }

    [Fact]
    public async Task Pruning_deletes_only_the_changes_committed_before_the_cutoff_and_ids_go_on_growing()
    {
        var user = await _f.UserAsync();
        await _f.Db.Alone(u => _f.Preferences.ApplyAsync(u, _f.Feedback("e1", user, true, 1.0), CancellationToken.None));
        var old = await Feed.LastIdAsync(CancellationToken.None);
        var cutoff = DateTimeOffset.UtcNow.AddMinutes(1);

        var pruned = await Feed.PruneAsync(cutoff, CancellationToken.None);
        await _f.Db.Alone(u => _f.Preferences.ApplyAsync(u, _f.Feedback("e2", user, false, 1.0), CancellationToken.None));

        var left = await Feed.AfterAsync(0, 100, CancellationToken.None);
        Assert.True(pruned >= 1);
        Assert.True(Assert.Single(left).Id > old);
        Assert.Equal(0, await Feed.PruneAsync(DateTimeOffset.UtcNow.AddHours(-1), CancellationToken.None));
    }
}

public sealed class ChangeFeedOnSqliteTests() : ChangeFeedTests(StoreProvider.Sqlite);

public sealed class ChangeFeedOnPostgresTests() : ChangeFeedTests(StoreProvider.Postgres);
