using SpotMirror.Core.Engines;
using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>Leases on the database's clock, and the learned model the lease holder publishes for the other workers.</summary>
public abstract class LeaseTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>A lease that ran out before it was taken: expiry without waiting on any clock.</summary>
    private static readonly TimeSpan AlreadyOver = TimeSpan.FromMinutes(-1);

    private readonly StoreFixture _f;
    private readonly SqlLeases _leases;
    private readonly SqlLearnedModels _models;

    protected LeaseTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
        _leases = new SqlLeases(_f.Db.Database);
        _models = new SqlLearnedModels(_f.Db.Database);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_free_lease_goes_to_the_first_holder_and_another_holder_is_told_who_has_it()
    {
        var first = await _leases.TryAcquireAsync("fit", "a", Minute, CancellationToken.None);
        var second = await _leases.TryAcquireAsync("fit", "b", Minute, CancellationToken.None);
        var other = await _leases.TryAcquireAsync("poll", "b", Minute, CancellationToken.None);

        Assert.Equal(("a", "a", "b"), (first.Holder, second.Holder, other.Holder));
        Assert.Equal(first.ExpiresAt, second.ExpiresAt);
    }

    [Fact]
    public async Task The_holder_renews_its_lease_and_taking_it_again_renews_it_too()
    {
        var taken = await _leases.TryAcquireAsync("fit", "a", Minute, CancellationToken.None);

        Assert.True(await _leases.RenewAsync("fit", "a", Minute * 10, CancellationToken.None));
        Assert.False(await _leases.RenewAsync("fit", "b", Minute * 10, CancellationToken.None));
        var again = await _leases.TryAcquireAsync("fit", "a", Minute * 20, CancellationToken.None);

        Assert.Equal("a", again.Holder);
        Assert.True(again.ExpiresAt > taken.ExpiresAt + Minute * 15);
    }

    [Fact]
    public async Task A_lease_that_ran_out_goes_to_the_next_holder_and_the_old_one_cannot_renew_it()
    {
        await _leases.TryAcquireAsync("fit", "a", AlreadyOver, CancellationToken.None);

        var taken = await _leases.TryAcquireAsync("fit", "b", Minute, CancellationToken.None);

        Assert.Equal("b", taken.Holder);
        Assert.False(await _leases.RenewAsync("fit", "a", Minute, CancellationToken.None));
    }

    [Fact]
    public async Task A_released_lease_is_free_at_once_and_releasing_another_holders_lease_does_nothing()
    {
        await _leases.TryAcquireAsync("fit", "a", Minute, CancellationToken.None);

        await _leases.ReleaseAsync("fit", "b", CancellationToken.None);
        var kept = await _leases.TryAcquireAsync("fit", "b", Minute, CancellationToken.None);
        await _leases.ReleaseAsync("fit", "a", CancellationToken.None);
        var taken = await _leases.TryAcquireAsync("fit", "b", Minute, CancellationToken.None);

        Assert.Equal(("a", "b"), (kept.Holder, taken.Holder));
    }

    [Fact]
    public async Task A_lease_keeps_its_generation_while_renewed_and_gets_a_new_one_each_time_it_is_taken_anew()
    {
        var first = await _leases.TryAcquireAsync("poll", "a", Minute, CancellationToken.None);
        await _leases.RenewAsync("poll", "a", Minute, CancellationToken.None);
        var again = await _leases.TryAcquireAsync("poll", "a", AlreadyOver, CancellationToken.None);
        var takenOver = await _leases.TryAcquireAsync("poll", "b", Minute, CancellationToken.None);
        await _leases.ReleaseAsync("poll", "b", CancellationToken.None);
        var back = await _leases.TryAcquireAsync("poll", "a", Minute, CancellationToken.None);

        Assert.Equal(first.Generation, again.Generation);
        Assert.Equal(first.Generation + 1, takenOver.Generation);
        Assert.Equal(first.Generation + 2, back.Generation);
    }

    [Fact]
    public async Task A_published_model_comes_back_whole_with_a_model_change_and_replaces_the_one_before()
    {
        var feed = new SqlChangeFeed(_f.Db.Database);
        var start = await feed.LastIdAsync(CancellationToken.None);

        var first = await _models.PublishAsync(Model(0.5f), 42, 3, "a", CancellationToken.None);
        var second = await _models.PublishAsync(Model(0.25f), 42, 3, "a", CancellationToken.None);
        var (id, model, refused) = await _models.LatestAsync(42, 3, CancellationToken.None);

        Assert.True(second > first);
        Assert.Equal((second, (string?)null), (id, refused));
        Assert.Equal(Model(0.25f).ItemFactors.ToArray(), model!.ItemFactors.ToArray());
        Assert.Equal(second, await _models.LatestIdAsync(CancellationToken.None));
        Assert.Equal([ChangeKind.Model, ChangeKind.Model], (await feed.AfterAsync(start, 10, CancellationToken.None)).Select(c => c.Kind));
    }

    [Fact]
    public async Task A_model_published_for_another_catalogue_is_refused_with_the_reason()
    {
        await _models.PublishAsync(Model(0.5f), 42, 3, "a", CancellationToken.None);

        var (_, model, refused) = await _models.LatestAsync(43, 3, CancellationToken.None);

        Assert.Null(model);
        Assert.Equal("the model was fitted on another catalogue", refused);
    }

    /// <summary>Two items, one user, two factors: small, but every part of the format is there.</summary>
    private static ImplicitAlsModel Model(float value) => new(
        new ImplicitAlsSettings { Factors = 2 }, [1, 2], [value, 1, 2, value], [7], [value, value], [1, 0, 0, 1], TimeSpan.FromSeconds(1));
}

public sealed class LeaseOnSqliteTests() : LeaseTests(StoreProvider.Sqlite);

public sealed class LeaseOnPostgresTests() : LeaseTests(StoreProvider.Postgres);
