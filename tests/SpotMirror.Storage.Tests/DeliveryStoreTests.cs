using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>Batches, checkpoints and the outbox: what the adapters rely on so that nothing is lost or doubled.</summary>
public abstract class DeliveryStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly StoreFixture _f;
    private readonly SqlCheckpointStore _checkpoints;
    private readonly SqlOutbox _outbox;

    protected DeliveryStoreTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
        _checkpoints = new SqlCheckpointStore(_f.Db.Database, TimeProvider.System);
        _outbox = new SqlOutbox(_f.Db.Database);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_committed_batch_saves_its_effects_and_its_checkpoint_together()
    {
        var user = await _f.UserAsync();

        await _checkpoints.CommitAsync("telegram:1", async (unit, ct) =>
        {
            await _f.Preferences.ApplyAsync(unit, _f.Feedback("e1", user, true, 1.0), ct);
            await _outbox.EnqueueAsync(unit, "telegram", "c1", "u1", "{}", T0, ct);
            return (0, "11");
        }, CancellationToken.None);

        Assert.Equal("11", await _checkpoints.ReadAsync("telegram:1", CancellationToken.None));
        Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None));
        Assert.Single(await _outbox.ClaimAsync("telegram", T0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_batch_that_fails_before_commit_leaves_neither_effects_nor_checkpoint()
    {
        var user = await _f.UserAsync();
        await _checkpoints.CommitAsync("telegram:1", (_, _) => Task.FromResult((0, "5")), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _checkpoints.CommitAsync<int>("telegram:1", async (unit, ct) =>
        {
            await _f.Preferences.ApplyAsync(unit, _f.Feedback("e1", user, true, 1.0), ct);
            await _outbox.EnqueueAsync(unit, "telegram", "c1", "u1", "{}", T0, ct);
            throw new InvalidOperationException("the process died here");
        }, CancellationToken.None));

        Assert.Equal("5", await _checkpoints.ReadAsync("telegram:1", CancellationToken.None));
        Assert.Empty(await _f.Preferences.LoadAsync(CancellationToken.None));
        Assert.Empty(await _outbox.ClaimAsync("telegram", T0, 10, CancellationToken.None));
        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM feedback_events"));
    }

    [Fact]
    public async Task A_failed_write_inside_a_batch_takes_back_only_its_own_statements()
    {
        var user = await _f.UserAsync();

        await _checkpoints.CommitAsync("telegram:1", async (unit, ct) =>
        {
            await _f.Preferences.ApplyAsync(unit, _f.Feedback("e1", user, true, 1.0), ct);
            // A write that fails halfway (the second statement breaks a constraint) inside the same batch.
            await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _f.Db.Database.WriteAsync(unit, async (c, t) =>
            {
                await c.ExecuteAsync("INSERT INTO checkpoints (connection, position, updated_at) VALUES ('x', '1', 0)", transaction: t);
                return await c.ExecuteAsync("INSERT INTO checkpoints (connection, position, updated_at) VALUES ('x', '2', 0)", transaction: t);
            }, ct));
            return (0, "2");
        }, CancellationToken.None);

        Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None));
        Assert.Null(await _checkpoints.ReadAsync("x", CancellationToken.None));
        Assert.Equal("2", await _checkpoints.ReadAsync("telegram:1", CancellationToken.None));
    }

    [Fact]
    public async Task Batches_do_not_nest()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _checkpoints.CommitAsync("a", async (_, ct) =>
        {
            await _checkpoints.CommitAsync("b", (_, _) => Task.FromResult((0, "1")), ct);
            return (0, "1");
        }, CancellationToken.None));
    }

    [Fact]
    public async Task A_write_that_does_not_join_the_open_unit_fails_at_once_instead_of_waiting_on_it()
    {
        var user = await _f.UserAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => _checkpoints.CommitAsync("a", async (_, ct) =>
        {
            await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0), ct);
            return (0, "1");
        }, CancellationToken.None));
    }

    [Fact]
    public async Task What_follows_a_commit_runs_after_it_and_only_for_the_steps_that_held()
    {
        var ran = new List<string>();

        await _checkpoints.CommitAsync("telegram:1", async (unit, ct) =>
        {
            unit.OnCommitted(() => ran.Add("batch"));
            await unit.StepAsync(_ =>
            {
                unit.OnCommitted(() => ran.Add("good event"));
                return Task.FromResult(0);
            }, ct);
            await Assert.ThrowsAsync<InvalidOperationException>(() => unit.StepAsync<int>(_ =>
            {
                unit.OnCommitted(() => ran.Add("failed event"));
                throw new InvalidOperationException("this event's handling failed");
            }, ct));
            Assert.Empty(ran);
            return (0, "1");
        }, CancellationToken.None);

        Assert.Equal(["batch", "good event"], ran);
    }

    [Fact]
    public async Task Nothing_follows_a_unit_that_rolls_back()
    {
        var ran = false;

        await Assert.ThrowsAsync<InvalidOperationException>(() => _checkpoints.CommitAsync<int>("telegram:1", (unit, _) =>
        {
            unit.OnCommitted(() => ran = true);
            throw new InvalidOperationException("the batch failed");
        }, CancellationToken.None));

        Assert.False(ran);
    }

    [Fact]
    public async Task A_reply_is_queued_once_per_event_even_when_the_event_comes_again()
    {
        Assert.True(await _outbox.EnqueueAsync("telegram", "c1", "u7", "{\"a\":1}", T0, CancellationToken.None));
        Assert.False(await _outbox.EnqueueAsync("telegram", "c1", "u7", "{\"a\":2}", T0, CancellationToken.None));

        var item = Assert.Single(await _outbox.ClaimAsync("telegram", T0, 10, CancellationToken.None));
        Assert.Equal(("c1", "u7", "{\"a\":1}"), (item.ChatId, item.EventId, item.Payload));
        Assert.Empty(await _outbox.ClaimAsync("discord", T0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Sending_settles_the_reply_and_records_the_ledger_in_one_transaction()
    {
        await _outbox.EnqueueAsync("telegram", "c1", "u1", "{}", T0, CancellationToken.None);
        var item = Assert.Single(await _outbox.ClaimAsync("telegram", T0, 10, CancellationToken.None));

        await _outbox.SentAsync(item.Id, "501", T0, (unit, ct) => _f.Ledger.RecordAsync(unit,
            new SentMessage("telegram", "c1", "501", null, "mood:chill", [_f.TrackIds[0]], T0), ct), CancellationToken.None);

        Assert.Empty(await _outbox.ClaimAsync("telegram", T0, 10, CancellationToken.None));
        Assert.NotNull(await _f.Ledger.FindAsync("telegram", "c1", "501", CancellationToken.None));
        Assert.Equal(1L, await Scalar("SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND message_id = '501'"));
    }

    [Fact]
    public async Task When_the_ledger_write_fails_the_reply_stays_pending()
    {
        await _outbox.EnqueueAsync("telegram", "c1", "u1", "{}", T0, CancellationToken.None);
        var item = Assert.Single(await _outbox.ClaimAsync("telegram", T0, 10, CancellationToken.None));

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => _outbox.SentAsync(item.Id, "501", T0, (unit, ct) => _f.Ledger.RecordAsync(unit,
            new SentMessage("telegram", "c1", "501", null, "mood", [987654], T0), ct), CancellationToken.None));

        Assert.Single(await _outbox.ClaimAsync("telegram", T0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_retried_reply_waits_its_turn_and_an_abandoned_one_is_kept_with_its_reason()
    {
        await _outbox.EnqueueAsync("telegram", "c1", "u1", "{}", T0, CancellationToken.None);
        await _outbox.EnqueueAsync("telegram", "c2", "u2", "{}", T0, CancellationToken.None);
        var items = await _outbox.ClaimAsync("telegram", T0, 10, CancellationToken.None);

        await _outbox.RetryLaterAsync(items[0].Id, "502 Bad Gateway", T0.AddSeconds(30), CancellationToken.None);
        await _outbox.AbandonAsync(items[1].Id, "403 bot was blocked by the user", T0, CancellationToken.None);

        Assert.Empty(await _outbox.ClaimAsync("telegram", T0.AddSeconds(29), 10, CancellationToken.None));
        var due = Assert.Single(await _outbox.ClaimAsync("telegram", T0.AddSeconds(30), 10, CancellationToken.None));
        Assert.Equal((items[0].Id, 1), (due.Id, due.Attempts));
        Assert.Equal(1L, await Scalar("SELECT COUNT(*) FROM outbox WHERE state = 'abandoned' AND last_error LIKE '403%'"));
    }

    [Fact]
    public async Task A_button_press_toggles_its_reaction_on_and_off()
    {
        var user = await _f.UserAsync();
        var press = _f.Feedback("p1", user, added: true, delta: 1.0, item: 1) with { Toggle = true };

        var on = await _f.Preferences.ApplyAsync(press, CancellationToken.None);
        var off = await _f.Preferences.ApplyAsync(press with { EventId = "p2" }, CancellationToken.None);
        var again = await _f.Preferences.ApplyAsync(press with { EventId = "p3" }, CancellationToken.None);

        Assert.Equal((FeedbackOutcome.Applied, true), (on.Outcome, on.Added));
        Assert.Equal((FeedbackOutcome.Applied, false), (off.Outcome, off.Added));
        Assert.Equal((FeedbackOutcome.Applied, true), (again.Outcome, again.Added));
        Assert.Equal(1.0, Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None)).Score, 6);
        Assert.Equal(1L, await Scalar("SELECT COUNT(*) FROM feedback_events WHERE event_id = 'p2' AND action = 'remove'"));
    }

    private Task<long> Scalar(string sql) => _f.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), CancellationToken.None);
}

public sealed class DeliveryStoreOnSqliteTests() : DeliveryStoreTests(StoreProvider.Sqlite);

public sealed class DeliveryStoreOnPostgresTests() : DeliveryStoreTests(StoreProvider.Postgres);
