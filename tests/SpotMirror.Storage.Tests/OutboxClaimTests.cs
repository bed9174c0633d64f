using System.Collections.Concurrent;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>
/// Several workers' senders over one outbox: each reply is claimed by one worker at a time (the one that queued
/// it first), a claim that ran out or was given up passes to another, and claims made at once never overlap.
/// </summary>
public abstract class OutboxClaimTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>A claim that ran out as soon as it was made: a dead worker's, without waiting on any clock.</summary>
    private static readonly TimeSpan AlreadyOver = TimeSpan.FromMinutes(-1);

    private readonly StoreFixture _f;

    protected OutboxClaimTests(StoreProvider provider) => _f = new StoreFixture(provider);

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    private SqlOutbox Worker(string name, TimeSpan? claimTime = null) => new(_f.Db.Database, claimTime ?? Minute, name);

    [Fact]
    public async Task A_reply_is_sent_by_the_worker_that_queued_it_and_not_by_another()
    {
        var a = Worker("a");
        var b = Worker("b");
        await a.EnqueueAsync("discord", "c1", "e1", "{}", T0, CancellationToken.None);

        var byB = await b.ClaimAsync("discord", T0, 10, CancellationToken.None);
        var byA = await a.ClaimAsync("discord", T0, 10, CancellationToken.None);

        Assert.Empty(byB);
        Assert.Equal("e1", Assert.Single(byA).EventId);
    }

    [Fact]
    public async Task A_claim_that_ran_out_is_taken_over_and_then_belongs_to_the_new_worker()
    {
        var dead = Worker("dead", AlreadyOver);
        var b = Worker("b");
        await dead.EnqueueAsync("telegram", "c1", "e1", "{}", T0, CancellationToken.None);

        var takenOver = await b.ClaimAsync("telegram", T0, 10, CancellationToken.None);
        var backToTheOld = await dead.ClaimAsync("telegram", T0, 10, CancellationToken.None);

        Assert.Equal("e1", Assert.Single(takenOver).EventId);
        Assert.Empty(backToTheOld);
    }

    [Fact]
    public async Task Claims_given_up_on_a_stop_go_to_another_worker_at_once()
    {
        var a = Worker("a");
        var b = Worker("b");
        await a.EnqueueAsync("telegram", "c1", "e1", "{}", T0, CancellationToken.None);
        await a.EnqueueAsync("discord", "c1", "e2", "{}", T0, CancellationToken.None);

        await a.ReleaseAsync("telegram", CancellationToken.None);

        Assert.Equal("e1", Assert.Single(await b.ClaimAsync("telegram", T0, 10, CancellationToken.None)).EventId);
        Assert.Empty(await b.ClaimAsync("discord", T0, 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_reply_put_off_for_a_retry_stays_with_its_worker()
    {
        var a = Worker("a", TimeSpan.FromSeconds(5));
        var b = Worker("b");
        await a.EnqueueAsync("telegram", "c1", "e1", "{}", T0, CancellationToken.None);
        var item = Assert.Single(await a.ClaimAsync("telegram", T0, 10, CancellationToken.None));

        // Due again in a minute, well past the five seconds a claim of a's lasts.
        await a.RetryLaterAsync(item.Id, "502", DateTimeOffset.UtcNow + Minute, CancellationToken.None);

        Assert.Empty(await b.ClaimAsync("telegram", DateTimeOffset.UtcNow + Minute * 2, 10, CancellationToken.None));
        Assert.Single(await a.ClaimAsync("telegram", DateTimeOffset.UtcNow + Minute * 2, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Workers_claiming_at_the_same_time_never_get_the_same_reply()
    {
        // Queued by a worker that died at once, so every reply is free for whoever claims it first.
        var dead = Worker("dead", AlreadyOver);
        for (var i = 0; i < 60; i++) await dead.EnqueueAsync("discord", "c1", $"e{i}", "{}", T0, CancellationToken.None);
        var workers = Enumerable.Range(0, 4).Select(i => Worker($"w{i}")).ToList();
        var claimedBy = new ConcurrentDictionary<long, ConcurrentBag<string>>();
        // Every worker holds its first claim until all four have one, so the claims surely overlap in time
        // (without it, one worker may drain the outbox before the others start, and nothing is shown).
        var holding = 0;
        var allHolding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await Task.WhenAll(workers.Select(worker => Task.Run(async () =>
        {
            var first = true;
            // Each worker claims a few at a time until nothing is left for it, as senders do.
            while (await worker.ClaimAsync("discord", T0, 3, CancellationToken.None) is { Count: > 0 } claimed)
            {
                if (first)
                {
                    first = false;
                    if (Interlocked.Increment(ref holding) == workers.Count) allHolding.TrySetResult();
                    await allHolding.Task.WaitAsync(TimeSpan.FromSeconds(30));
                }
                foreach (var item in claimed)
                {
                    claimedBy.GetOrAdd(item.Id, _ => []).Add(worker.Claimant);
                    await worker.SentAsync(item.Id, $"m{item.Id}", T0, (_, _) => Task.CompletedTask, CancellationToken.None);
                }
            }
        })));

        Assert.Equal(60, claimedBy.Count);
        Assert.All(claimedBy.Values, holders => Assert.Single(holders));
        Assert.Equal(workers.Count, claimedBy.Values.Select(h => h.Single()).Distinct().Count());
    }
}

public sealed class OutboxClaimOnSqliteTests() : OutboxClaimTests(StoreProvider.Sqlite);

public sealed class OutboxClaimOnPostgresTests() : OutboxClaimTests(StoreProvider.Postgres);
