using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>
/// A batch fenced by its poll lease commits only while the worker still holds that lease, in the same spell of
/// holding it: a commit that arrives after the lease ran out or passed on keeps nothing, and the checkpoint stays
/// where the next leader will read it.
/// </summary>
public abstract class FencedCheckpointTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan AlreadyOver = TimeSpan.FromMinutes(-1);
    private const string Poll = "telegram-poll:1";
    private readonly StoreFixture _f;
    private readonly SqlLeases _leases;
    private readonly SqlCheckpointStore _checkpoints;

    protected FencedCheckpointTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
        _leases = new SqlLeases(_f.Db.Database);
        _checkpoints = new SqlCheckpointStore(_f.Db.Database, TimeProvider.System);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A batch: one like and the offset after it.</summary>
    private Task<int> CommitAsync(LeaseFence fence, long user, string eventId, string position) =>
        _checkpoints.CommitAsync("telegram:1", fence, async (unit, ct) =>
        {
            await _f.Preferences.ApplyAsync(unit, _f.Feedback(eventId, user, true, 1.0), ct);
            return (0, position);
        }, CancellationToken.None);

    [Fact]
    public async Task A_batch_commits_while_its_worker_holds_the_lease()
    {
        var user = await _f.UserAsync();
        var lease = await _leases.TryAcquireAsync(Poll, "a", Minute, CancellationToken.None);
        await _leases.RenewAsync(Poll, "a", Minute, CancellationToken.None);

        await CommitAsync(lease.Fence, user, "e1", "11");

        Assert.Equal("11", await _checkpoints.ReadAsync("telegram:1", CancellationToken.None));
        Assert.Equal(1L, await FeedbackEventsAsync());
    }

    public static TheoryData<string, Func<SqlLeases, Task>> LostLeases => new()
    {
        // The stall outlived the lease and a standby took over.
        { "taken over", leases => leases.TryAcquireAsync(Poll, "b", Minute, CancellationToken.None) },
        // Nobody took it yet, but it ran out: a standby may be taking it this instant.
        { "ran out", _ => Task.CompletedTask },
        // The same worker took it again in a new spell (after a standby held it and let it go): the old batch is stale.
        { "taken again", async leases =>
            {
                await leases.TryAcquireAsync(Poll, "b", Minute, CancellationToken.None);
                await leases.ReleaseAsync(Poll, "b", CancellationToken.None);
                await leases.TryAcquireAsync(Poll, "a", Minute, CancellationToken.None);
            }
        },
    };

    [Theory]
    [MemberData(nameof(LostLeases))]
    public async Task A_batch_whose_lease_was_lost_before_its_commit_keeps_nothing_and_leaves_the_checkpoint(string how, Func<SqlLeases, Task> lose)
    {
        var user = await _f.UserAsync();
        var held = await _leases.TryAcquireAsync(Poll, "a", Minute, CancellationToken.None);
        await CommitAsync(held.Fence, user, "e1", "11");
        // The lease ran out during a stall; then what the case says happened to it.
        var stalled = await _leases.TryAcquireAsync(Poll, "a", AlreadyOver, CancellationToken.None);
        await lose(_leases);

        var refused = await Assert.ThrowsAsync<LeaseLostException>(() => CommitAsync(stalled.Fence, user, "e2", "12"));

        Assert.Contains(Poll, refused.Message, StringComparison.Ordinal);
        Assert.True("11" == await _checkpoints.ReadAsync("telegram:1", CancellationToken.None), how);
        Assert.Equal(1L, await FeedbackEventsAsync());
    }

    private Task<long> FeedbackEventsAsync() =>
        _f.Db.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT COUNT(*) FROM feedback_events"), CancellationToken.None);
}

public sealed class FencedCheckpointOnSqliteTests() : FencedCheckpointTests(StoreProvider.Sqlite);

public sealed class FencedCheckpointOnPostgresTests() : FencedCheckpointTests(StoreProvider.Postgres);
