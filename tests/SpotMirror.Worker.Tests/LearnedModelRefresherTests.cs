using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;
using SpotMirror.Worker.Hosting;

namespace SpotMirror.Worker.Tests;

/// <summary>The learned model in the running host: fitted at start, refitted on the clock only when preferences changed.</summary>
public sealed class LearnedModelRefresherTests : IAsyncLifetime, IDisposable
{
    private readonly TempDatabase _db = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly HybridOptions _options = new() { LearnedMinUsers = 2, LearnedLambda = 1, LearnedRefreshMinutes = 5 };
    private Recommender _recommender = null!;
    private CoreLoader _loader = null!;
    private LearnedModelRefresher _refresher = null!;

    public async Task InitializeAsync()
    {
        var learner = new PreferenceLearner(new LearningOptions());
        var catalog = new SqliteCatalogStore(_db.Database);
        _recommender = new Recommender(CatalogIndex.Build([]), new PreferenceMatrix(learner, _time.GetUtcNow()), _options);
        _loader = new CoreLoader(new StorageInitializer(_db.Database, catalog), catalog, new SqlitePreferenceStore(_db.Database, learner),
            _recommender, _options, NullLogger<CoreLoader>.Instance);
        await _loader.StartAsync(CancellationToken.None);
        _refresher = new LearnedModelRefresher(_recommender, _options, _loader, _time, NullLogger<LearnedModelRefresher>.Instance);
        await _refresher.StartAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => _refresher.StopAsync(CancellationToken.None);

    public void Dispose()
    {
        _refresher.Dispose();
        _recommender.Preferences.Dispose();
        _db.Dispose();
    }

    [Fact]
    public async Task Likes_after_start_reach_the_model_on_the_clock_and_idle_periods_refit_nothing()
    {
        Assert.Equal(0, _recommender.Learned.Model.ItemCount);
        var (a, b) = (_recommender.Catalog[0].Id, _recommender.Catalog[1].Id);
        var at = _time.GetUtcNow();
        _recommender.Preferences.Set([new PreferenceEntry(1, a, 1, at, 0), new(1, b, 1, at, 0), new(2, a, 1, at, 0), new(2, b, 1, at, 0)]);

        var fitted = await AdvanceUntilAsync(m => m.ItemCount == 2);

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(TimeSpan.FromMinutes(_options.LearnedRefreshMinutes));
            await Task.Delay(100);
        }
        Assert.Same(fitted, _recommender.Learned.Model);
    }

    /// <summary>
    /// Moves the clock one refresh period at a time until the model satisfies done (bounded): the
    /// service creates its timer on its own thread, so the test cannot know which advance it sees first.
    /// </summary>
    private async Task<Core.Engines.EaseModel> AdvanceUntilAsync(Func<Core.Engines.EaseModel, bool> done)
    {
        for (var i = 0; i < 100 && !done(_recommender.Learned.Model); i++)
        {
            _time.Advance(TimeSpan.FromMinutes(_options.LearnedRefreshMinutes));
            await Task.Delay(50);
        }
        Assert.True(done(_recommender.Learned.Model), "the model was not refitted");
        return _recommender.Learned.Model;
    }
}
