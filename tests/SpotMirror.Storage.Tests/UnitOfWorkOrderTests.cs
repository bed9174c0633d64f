using System.Collections.Concurrent;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>
/// In-memory changes follow the commits in commit order: a unit's after-commit actions run before the next
/// unit of work may begin. Otherwise a feedback's matrix change could land after a later forget's removal
/// and bring a forgotten person's taste back (issue 17 item 2).
/// </summary>
public abstract class UnitOfWorkOrderTests(StoreProvider provider) : IDisposable
{
    private static readonly TimeSpan Chance = TimeSpan.FromSeconds(1);
    private readonly ITempDatabase _db = ITempDatabase.Create(provider);

    public void Dispose()
    {
        _db.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task The_next_unit_of_work_begins_only_after_the_last_ones_after_commit_actions_ran()
    {
        var order = new ConcurrentQueue<string>();
        using var firstCommitted = new ManualResetEventSlim();
        using var secondBegan = new ManualResetEventSlim();

        var first = _db.Database.RunAsync((unit, _) =>
        {
            unit.OnCommitted(() =>
            {
                firstCommitted.Set();
                // A bound, not a timing claim: the second unit gets every chance to begin before this action ends.
                secondBegan.Wait(Chance);
                order.Enqueue("first's after-commit action");
            });
            return Task.FromResult(0);
        }, CancellationToken.None);
        var second = Task.Run(async () =>
        {
            firstCommitted.Wait(TimeSpan.FromSeconds(30));
            await _db.Database.RunAsync((_, _) =>
            {
                order.Enqueue("second unit");
                secondBegan.Set();
                return Task.FromResult(0);
            }, CancellationToken.None);
        });
        await Task.WhenAll(first, second);

        Assert.Equal(["first's after-commit action", "second unit"], order);
    }
}

public sealed class UnitOfWorkOrderOnSqliteTests() : UnitOfWorkOrderTests(StoreProvider.Sqlite);

public sealed class UnitOfWorkOrderOnPostgresTests() : UnitOfWorkOrderTests(StoreProvider.Postgres);
