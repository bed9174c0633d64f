using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;
using SpotMirror.Testing;
using SpotMirror.Runtime;

namespace SpotMirror.Runtime.Tests;

/// <summary>The learned model in the running host: never fitted at start, loaded from its file or fitted in the background, refitted on the clock only when preferences changed.</summary>
public sealed class LearnedModelRefresherTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly HybridOptions _options = new() { LearnedFactors = 4, LearnedEpochs = 3, LearnedRefreshMinutes = 5, LearnedThreads = 1 };
    private readonly LogLines _log = new();
    private readonly List<(Recommender Recommender, LearnedModelRefresher Refresher)> _started = [];

    public void Dispose()
    {
        foreach (var (recommender, refresher) in _started)
        {
            refresher.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            refresher.Dispose();
            recommender.Preferences.Dispose();
        }
        _db.Dispose();
    }

    private string ModelPath => LearnedModelFile.PathBeside(_db.Path);

    [Fact]
    public async Task Start_up_fits_nothing_and_the_model_arrives_in_the_background_and_is_published_with_its_factors_written_once()
    {
        var (recommender, loader) = await LoadAsync(likes: true);
        Assert.False(recommender.Learned.Arrived);

        await StartRefresherAsync(recommender, loader);
        await WaitAsync(() => recommender.Learned.Arrived, "the model did not arrive");
        await WaitForPublicationAsync();

        Assert.Contains(_log.Snapshot(), l => l.Contains("not used (no model file)", StringComparison.Ordinal));
        // On SQLite the factors are the file beside the database; the row only names it (no second copy in the database).
        Assert.True(File.Exists(ModelPath), "the published model's factors are not beside the database");
        var body = await _db.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c, "SELECT MAX(length(body)) FROM learned_models"), CancellationToken.None);
        Assert.True(body < 64, $"the database holds a {body}-byte body besides the file");
    }

    [Fact]
    public async Task A_published_model_is_loaded_by_the_next_start_instead_of_refitted()
    {
        var (first, firstLoader) = await LoadAsync(likes: true);
        await StartRefresherAsync(first, firstLoader);
        await WaitForPublicationAsync();
        var saved = first.Learned.Model;

        var (second, secondLoader) = await LoadAsync(likes: false);
        await StartRefresherAsync(second, secondLoader);
        await WaitAsync(() => second.Learned.Arrived, "the second process loaded no model");

        Assert.Equal(saved.ItemFactors.ToArray(), second.Learned.Model.ItemFactors.ToArray());
        Assert.Single(_log.Snapshot(), l => l.Contains("loaded from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_file_is_loaded_when_the_database_has_none_published()
    {
        var (recommender, loader) = await LoadAsync(likes: true);
        var catalog = recommender.Catalog;
        var model = recommender.FitLearned(_options.LearnedSettings());
        LearnedModelFile.Save(ModelPath, model, catalog.Fingerprint, catalog.Count);

        await StartRefresherAsync(recommender, loader);
        await WaitAsync(() => recommender.Learned.Arrived, "the saved model was not loaded");

        Assert.Equal(model.ItemFactors.ToArray(), recommender.Learned.Model.ItemFactors.ToArray());
        Assert.Single(_log.Snapshot(), l => l.Contains($"loaded from {ModelPath}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task When_the_publication_fails_the_model_is_saved_beside_the_database_for_the_next_start()
    {
        var (first, firstLoader) = await LoadAsync(likes: true);
        await StartRefresherAsync(first, firstLoader, models: new Unpublishable(new SqlLearnedModels(_db.Database)));
        await WaitAsync(() => File.Exists(ModelPath), "the model that could not be published was not saved either");

        Assert.Contains(_log.Snapshot(), l => l.Contains("could not publish", StringComparison.Ordinal));
        var (second, secondLoader) = await LoadAsync(likes: false);
        await StartRefresherAsync(second, secondLoader);
        await WaitAsync(() => second.Learned.Arrived, "the second process loaded no model");
        Assert.Equal(first.Learned.Model.ItemFactors.ToArray(), second.Learned.Model.ItemFactors.ToArray());
    }

    [Theory]
    [InlineData("truncated", "the file is truncated")]
    [InlineData("another catalogue", "the model was fitted on another catalogue")]
    [InlineData("not a model", "not a model file of this format")]
    [InlineData("an older format", "not a model file of this format")]
    public async Task A_bad_model_file_is_refused_with_one_log_line_and_refitted(string damage, string reason)
    {
        var (recommender, loader) = await LoadAsync(likes: true);
        var catalog = recommender.Catalog;
        var model = recommender.FitLearned(_options.LearnedSettings());
        LearnedModelFile.Save(ModelPath, model, damage == "another catalogue" ? catalog.Fingerprint + 1 : catalog.Fingerprint, catalog.Count);
        if (damage == "truncated") File.WriteAllBytes(ModelPath, File.ReadAllBytes(ModelPath)[..^40]);
        if (damage == "an older format")
        {
            // Version 1 kept the item factors in float: its files are refitted, not misread.
            var bytes = File.ReadAllBytes(ModelPath);
            BitConverter.TryWriteBytes(bytes.AsSpan(8, 4), 1);
            File.WriteAllBytes(ModelPath, bytes);
        }
        if (damage == "not a model") File.WriteAllText(ModelPath, "{\"this\": \"is json, not factors\", \"padding\": \"................................................................\"}");

        await StartRefresherAsync(recommender, loader);
        await WaitAsync(() => recommender.Learned.Arrived, "no model was refitted");

        Assert.Single(_log.Snapshot(), l => l.Contains($"not used ({reason})", StringComparison.Ordinal));
        Assert.Equal(model.ItemCount, recommender.Learned.Model.ItemCount);
    }

    [Fact]
    public async Task Likes_after_start_reach_the_model_on_the_clock_and_idle_periods_refit_nothing()
    {
        var (recommender, loader) = await LoadAsync(likes: false);
        await StartRefresherAsync(recommender, loader);
        var (a, b, c) = (recommender.Catalog[0].Id, recommender.Catalog[1].Id, recommender.Catalog[2].Id);
        var at = _time.GetUtcNow();
        recommender.Preferences.Set([new PreferenceEntry(1, a, 1, at, 0), new(1, b, 1, at, 0), new(2, a, 1, at, 0), new(2, c, 1, at, 0)]);

        await AdvanceUntilAsync(recommender, m => m.ItemCount == 3);
        // One more period: the likes may have raced the fit that first showed them (read mid-way, then refitted once).
        _time.Advance(TimeSpan.FromMinutes(_options.LearnedRefreshMinutes));
        await Task.Delay(200);
        var fitted = recommender.Learned.Model;

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(_options.LearnedRefreshMinutes));
            await Task.Delay(100);
        }
        Assert.Same(fitted, recommender.Learned.Model);
    }

    [Fact]
    public async Task A_fitter_that_dies_stops_renewing_and_another_worker_takes_the_fitting_over_within_the_short_lease()
    {
        var lease = TimeSpan.FromSeconds(3);
        var (first, firstLoader) = await LoadAsync(likes: true);
        var firstLeases = new Severable(new SqlLeases(_db.Database));
        await StartRefresherAsync(first, firstLoader, firstLeases, lease);
        await WaitAsync(() => first.Learned.Arrived, "the first worker fitted nothing");
        var (second, secondLoader) = await LoadAsync(likes: false);
        await StartRefresherAsync(second, secondLoader, new SqlLeases(_db.Database), lease);
        await WaitAsync(() => second.Learned.Arrived, "the second worker did not load the first one's model");
        var loaded = second.Learned.Model;
        var (a, b, c) = (second.Catalog[0].Id, second.Catalog[1].Id, second.Catalog[2].Id);
        var at = _time.GetUtcNow();
        second.Preferences.Set([new PreferenceEntry(1, a, 1, at, 0), new(1, b, 1, at, 0), new(2, a, 1, at, 0), new(2, c, 1, at, 0)]);

        // Alive: the first worker renews on its clock, so over twice the lease's time the second one never fits.
        var alive = System.Diagnostics.Stopwatch.StartNew();
        while (alive.Elapsed < 2 * lease)
        {
            _time.Advance(TimeSpan.FromMinutes(_options.LearnedRefreshMinutes));
            await Task.Delay(100);
        }
        Assert.Same(loaded, second.Learned.Model);
        Assert.Contains(_log.Snapshot(), l => l.Contains("holds the fitting lease", StringComparison.Ordinal));

        // Killed mid-fit: nothing renews; the second worker fits as soon as the lease lapses.
        firstLeases.Sever();
        var dead = System.Diagnostics.Stopwatch.StartNew();
        while (second.Learned.Model.ItemCount != 3 && dead.Elapsed < Patience)
        {
            _time.Advance(TimeSpan.FromMinutes(_options.LearnedRefreshMinutes));
            await Task.Delay(100);
        }
        Assert.Equal(3, second.Learned.Model.ItemCount);
    }

    private async Task<(Recommender, CoreLoader)> LoadAsync(bool likes)
    {
        var learner = new PreferenceLearner(new LearningOptions());
        var catalog = new SqlCatalogStore(_db.Database);
        var recommender = new Recommender(CatalogIndex.Build([]), new PreferenceMatrix(learner, _time.GetUtcNow()), _options);
        var loader = new CoreLoader(new StorageInitializer(_db.Database, catalog), catalog, new SqlPreferenceStore(_db.Database, learner),
            new SqlChangeFeed(_db.Database), recommender, new Logger<CoreLoader>(_log));
        await loader.StartAsync(CancellationToken.None);
        if (likes)
        {
            var at = _time.GetUtcNow();
            var entries = new List<PreferenceEntry>();
            for (var user = 1; user <= 6; user++)
            {
                for (var t = 0; t < 4; t++) entries.Add(new PreferenceEntry(user, recommender.Catalog[(user % 2 * 4) + t].Id, 1, at, 0));
            }
            recommender.Preferences.Set(entries);
        }
        return (recommender, loader);
    }

    private async Task StartRefresherAsync(Recommender recommender, CoreLoader loader, ILeases? leases = null, TimeSpan? leaseTime = null, ILearnedModels? models = null)
    {
        models ??= new SqlLearnedModels(_db.Database);
        var published = new PublishedLearnedModel(models, recommender, _options, new Logger<PublishedLearnedModel>(_log));
        var refresher = new LearnedModelRefresher(recommender, _options, loader, new LearnedModelPath(ModelPath),
            leases ?? new SqlLeases(_db.Database), models, published, _time, new Logger<LearnedModelRefresher>(_log))
        {
            LeaseTime = leaseTime ?? TimeSpan.FromMinutes(2),
        };
        _started.Add((recommender, refresher));
        await refresher.StartAsync(CancellationToken.None);
    }

    private async Task WaitForPublicationAsync() =>
        await Eventually.WaitAsync(() => new SqlLearnedModels(_db.Database).LatestIdAsync(CancellationToken.None), id => id > 0, Patience, _ => "no model was published");

    private static async Task WaitAsync(Func<bool> done, string failure) =>
        await Eventually.WaitAsync(() => Task.FromResult(done()), d => d, Patience, _ => failure);

    /// <summary>
    /// Moves the clock one refresh period at a time until the model satisfies done (bounded): the
    /// service creates its timer on its own thread, so the test cannot know which advance it sees first.
    /// </summary>
    private async Task<ImplicitAlsModel> AdvanceUntilAsync(Recommender recommender, Func<ImplicitAlsModel, bool> done)
    {
        for (var i = 0; i < 100 && !done(recommender.Learned.Model); i++)
        {
            _time.Advance(TimeSpan.FromMinutes(_options.LearnedRefreshMinutes));
            await Task.Delay(50);
        }
        Assert.True(done(recommender.Learned.Model), "the model was not refitted");
        return recommender.Learned.Model;
    }

    /// <summary>A database that takes no publication (full, say): reads pass through.</summary>
    private sealed class Unpublishable(ILearnedModels inner) : ILearnedModels
    {
        public Task<long> PublishAsync(ImplicitAlsModel model, ulong catalogFingerprint, int catalogCount, string publishedBy, CancellationToken cancellationToken) =>
            throw new StoreFaultException(StoreFault.Full, "the disk is full", null);

        public Task<long> LatestIdAsync(CancellationToken cancellationToken) => inner.LatestIdAsync(cancellationToken);

        public Task<(long Id, ImplicitAlsModel? Model, string? Refused)> LatestAsync(ulong catalogFingerprint, int catalogCount, CancellationToken cancellationToken) =>
            inner.LatestAsync(catalogFingerprint, catalogCount, cancellationToken);
    }

    /// <summary>A worker's way to the leases table that can be cut, as by a kill -9: after it nothing reaches the database.</summary>
    private sealed class Severable(ILeases inner) : ILeases
    {
        private volatile bool _severed;

        public void Sever() => _severed = true;

        public Task<Lease> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
            _severed ? Task.FromResult(new Lease(name, holder, DateTimeOffset.MaxValue, 0)) : inner.TryAcquireAsync(name, holder, duration, cancellationToken);

        public Task<bool> RenewAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken) =>
            _severed ? Task.FromResult(true) : inner.RenewAsync(name, holder, duration, cancellationToken);

        public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
            _severed ? Task.CompletedTask : inner.ReleaseAsync(name, holder, cancellationToken);
    }
}
