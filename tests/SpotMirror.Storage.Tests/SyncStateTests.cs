using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>The bookkeeping behind resumable syncs, and the response cache.</summary>
public abstract class SyncStateTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly StoreFixture _f;

    protected SyncStateTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_plan_outlives_the_run_that_made_it_with_its_done_marks_until_it_finishes()
    {
        var state = new SqlSyncState(_f.Db.Database);
        await state.SavePlanAsync("lastfm|5|happy", "lastfm",
            [new SyncItem(0, "Queen", "Don't Stop Me Now", "queen/_/don't stop me now", ["happy"], null), new SyncItem(1, "Adele", "Hello", null, ["happy", "sad"], null)],
            Now, CancellationToken.None);
        await _f.Db.Alone(u => state.MarkDoneAsync(u, "lastfm|5|happy", 0, "added", Now, CancellationToken.None));

        var plan = await state.PlanAsync("lastfm|5|happy", CancellationToken.None);

        Assert.NotNull(plan);
        Assert.Equal([true, false], plan.Select(i => i.Done));
        Assert.Equal(["happy", "sad"], plan[1].Tags);
        Assert.Null(await state.PlanAsync("lastfm|5|sad", CancellationToken.None));

        await state.FinishAsync("lastfm|5|happy", CancellationToken.None);

        Assert.Null(await state.PlanAsync("lastfm|5|happy", CancellationToken.None));
    }

    [Fact]
    public async Task A_cached_answer_is_served_until_it_expires_and_expired_ones_are_swept()
    {
        var cache = new SqlResponseCache(_f.Db.Database);
        await cache.PutAsync("a", "{\"x\":1}", Now, Now.AddHours(1), CancellationToken.None);

        Assert.Equal("{\"x\":1}", await cache.GetAsync("a", Now.AddMinutes(59), CancellationToken.None));
        Assert.Null(await cache.GetAsync("a", Now.AddHours(1), CancellationToken.None));

        await cache.PutAsync("b", "{}", Now.AddHours(2), Now.AddHours(3), CancellationToken.None);

        Assert.Equal(1, await cache.CountAsync(CancellationToken.None));
    }
}

public sealed class SyncStateOnSqliteTests() : SyncStateTests(StoreProvider.Sqlite);

public sealed class SyncStateOnPostgresTests() : SyncStateTests(StoreProvider.Postgres);
