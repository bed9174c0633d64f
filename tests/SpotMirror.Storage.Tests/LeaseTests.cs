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

    [Fact]
    public async Task A_model_of_megabytes_comes_back_byte_for_byte()
    {
        // 20,000 items x 128 half-precision factors: 5 MB of item factors, streamed (PostgreSQL) or in the file beside the database (SQLite).
        var big = Large(items: 20_000, k: 128);

        var published = await _models.PublishAsync(big, 42, 3, "a", CancellationToken.None);
        var (id, model, refused) = await _models.LatestAsync(42, 3, CancellationToken.None);

        Assert.Equal((published, (string?)null), (id, refused));
        Assert.Equal(big.Items.ToArray(), model!.Items.ToArray());
        Assert.Equal(big.ItemFactors.ToArray(), model.ItemFactors.ToArray());
        Assert.Equal(big.UserFactors.ToArray(), model.UserFactors.ToArray());
        Assert.Equal(big.Gram.ToArray(), model.Gram.ToArray());
    }

    [Fact]
    public async Task A_published_model_cut_short_is_refused_with_the_reason()
    {
        await _models.PublishAsync(Large(items: 2_000, k: 16), 42, 3, "a", CancellationToken.None);
        // Cut after the header and part of the factors: on SQLite the file beside the database, on PostgreSQL the row's body.
        if (_f.Db.Database is Sqlite.SqliteDatabase sqlite)
        {
            await using var file = File.Open(LearnedModelFile.PathBeside(sqlite.Path), FileMode.Open);
            file.SetLength(5_000);
        }
        else
        {
            await _f.Db.Database.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
                "UPDATE learned_models SET body = substr(body, 1, 5000)", transaction: t), CancellationToken.None);
        }

        var (_, model, refused) = await _models.LatestAsync(42, 3, CancellationToken.None);

        Assert.Null(model);
        Assert.Equal("the file is truncated", refused);
    }

    [Fact]
    public async Task A_staged_model_still_being_written_is_never_read_and_the_next_publication_removes_it()
    {
        var published = await _models.PublishAsync(Model(0.5f), 42, 3, "a", CancellationToken.None);
        // As a worker killed half-way through writing a body leaves it: published_at 0, a body of zeros.
        await _f.Db.Database.WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
            "INSERT INTO learned_models (published_by, published_at, body) VALUES ('dead', 0, @body)", new { body = new byte[64] }, t), CancellationToken.None);

        Assert.Equal(published, await _models.LatestIdAsync(CancellationToken.None));
        Assert.Equal(Model(0.5f).ItemFactors.ToArray(), (await _models.LatestAsync(42, 3, CancellationToken.None)).Model!.ItemFactors.ToArray());

        var next = await _models.PublishAsync(Model(0.25f), 42, 3, "a", CancellationToken.None);
        var rows = await _f.Db.Database.ReadAsync(c => Dapper.SqlMapper.QueryAsync<long>(c, "SELECT id FROM learned_models"), CancellationToken.None);
        Assert.Equal([next], rows);
    }

    private static ImplicitAlsModel Large(int items, int k)
    {
        var random = new Random(5);
        var factors = new float[items * k];
        for (var i = 0; i < factors.Length; i++) factors[i] = random.NextSingle() - 0.5f;
        var gram = new double[k * k];
        for (var i = 0; i < gram.Length; i++) gram[i] = random.NextDouble();
        return new ImplicitAlsModel(new ImplicitAlsSettings { Factors = k }, [.. Enumerable.Range(1, items).Select(i => (long)i)], factors,
            [7, 8], [.. Enumerable.Range(0, 2 * k).Select(i => i / 100f)], gram, TimeSpan.FromSeconds(1));
    }

    /// <summary>Two items, one user, two factors: small, but every part of the format is there.</summary>
    private static ImplicitAlsModel Model(float value) => new(
        new ImplicitAlsSettings { Factors = 2 }, [1, 2], [value, 1, 2, value], [7], [value, value], [1, 0, 0, 1], TimeSpan.FromSeconds(1));
}

public sealed class LeaseOnSqliteTests() : LeaseTests(StoreProvider.Sqlite);

public sealed class LeaseOnPostgresTests() : LeaseTests(StoreProvider.Postgres);
