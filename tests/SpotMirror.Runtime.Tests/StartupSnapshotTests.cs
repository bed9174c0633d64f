using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;
using SpotMirror.Testing;

namespace SpotMirror.Runtime.Tests;

/// <summary>
/// The start-up snapshot: a restart reads it and replays the feed after it, answering exactly as a full load of the
/// same database does; anything that makes it doubtful sends the start to the full load with one line.
/// </summary>
public sealed class StartupSnapshotTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private const string NotUsed = "Start-up snapshot not used";
    private readonly TempDatabase _db = new();
    private readonly List<Recommender> _made = [];

    public void Dispose()
    {
        foreach (var recommender in _made) recommender.Preferences.Dispose();
        _db.Dispose();
    }

    private string SnapshotPath => _db.Path + ".snapshot";

    [Fact]
    public async Task ARestartOnAnUnchangedDatabaseAnswersFromTheSnapshotAsAFullLoadDoes()
    {
        await BuildAsync();
        var first = await StartAsync(At);
        Assert.Contains(first.Log.Snapshot(), l => l.Contains(NotUsed + ", loading from the database: there is none yet", StringComparison.Ordinal));
        await first.Snapshot.WriteAsync(first.Loader.FeedPosition, CancellationToken.None);
        Assert.True(File.Exists(SnapshotPath));

        // A later epoch than the writer's: the scores are moved to it on reading, as a full load scales them.
        var restarted = await StartAsync(At.AddDays(30));
        var full = await StartAsync(At.AddDays(30), snapshot: false);

        Assert.Contains(restarted.Log.Snapshot(), l => l.StartsWith("Ready from the start-up snapshot", StringComparison.Ordinal));
        Assert.DoesNotContain(restarted.Log.Snapshot(), l => l.Contains(NotUsed, StringComparison.Ordinal));
        await AssertSameAsync(full.Recommender, restarted.Recommender);
    }

    [Fact]
    public async Task ALikeCommittedAfterTheSnapshotIsInTheAnswersAfterARestart()
    {
        await BuildAsync();
        var first = await StartAsync(At);
        await first.Snapshot.WriteAsync(first.Loader.FeedPosition, CancellationToken.None);
        var user = (await UsersAsync())[0];
        var track = first.Recommender.Catalog[first.Recommender.Catalog.Count - 1].Id;
        Assert.False(first.Recommender.Preferences.TasteOf(user).Scores.ContainsKey(track));

        await CommitLikeAsync(user, track, score: 3);
        var restarted = await StartAsync(At);
        var full = await StartAsync(At, snapshot: false);

        Assert.Contains(restarted.Log.Snapshot(), l => l.Contains("1 changes replayed", StringComparison.Ordinal));
        Assert.True(restarted.Recommender.Preferences.TasteOf(user).Scores[track] > 0);
        await AssertSameAsync(full.Recommender, restarted.Recommender);
    }

    [Fact]
    public async Task MoreChangesThanOnePageOfTheFeedAreAllReplayed()
    {
        await BuildAsync();
        var first = await StartAsync(At);
        await first.Snapshot.WriteAsync(first.Loader.FeedPosition, CancellationToken.None);
        var (users, tracks) = (await UsersAsync(), await TrackIdsAsync());
        for (var k = 0; k < 600; k++) await CommitLikeAsync(users[k % users.Count], tracks[(k * 7) % tracks.Count], score: 1 + (k % 3));

        var restarted = await StartAsync(At);
        var full = await StartAsync(At, snapshot: false);

        Assert.Contains(restarted.Log.Snapshot(), l => l.Contains("600 changes replayed", StringComparison.Ordinal));
        await AssertSameAsync(full.Recommender, restarted.Recommender);
    }

    [Fact]
    public async Task ATrackImportedAfterTheSnapshotComesFromTheDatabaseWhileThePreferencesComeFromTheSnapshot()
    {
        await BuildAsync();
        var first = await StartAsync(At);
        await first.Snapshot.WriteAsync(first.Loader.FeedPosition, CancellationToken.None);
        await new SqlCatalogStore(_db.Database).UpsertAsync([new TrackInput("Brand New Song", "Brand New Artist", [new TagWeight("rock", 100)])], CancellationToken.None);

        var restarted = await StartAsync(At);
        var full = await StartAsync(At, snapshot: false);

        Assert.Contains(restarted.Log.Snapshot(), l => l.Contains("catalogue from the database", StringComparison.Ordinal));
        Assert.Equal(first.Recommender.Catalog.Count + 1, restarted.Recommender.Catalog.Count);
        await AssertSameAsync(full.Recommender, restarted.Recommender);
    }

    public static TheoryData<string, string> Doubts => new()
    {
        { "a preference row deleted with the sqlite3 shell", "preference cells" },
        { "a tag deleted with the sqlite3 shell", "catalogue tables were changed outside the change feed" },
        { "the file cut short", "could not be read" },
        { "a byte of the file changed", "could not be read" },
        { "a change after the snapshot pruned from the feed", "were pruned from the feed" },
        { "a feed emptied and moved on", "were pruned from the feed" },
        { "a database made again at the same path", "another database at this path" },
    };

    [Theory]
    [MemberData(nameof(Doubts))]
    public async Task ADoubtfulSnapshotIsPassedOverWithOneLineForTheFullLoad(string doubt, string reason)
    {
        await BuildAsync();
        var first = await StartAsync(At);
        await first.Snapshot.WriteAsync(first.Loader.FeedPosition, CancellationToken.None);
        await MakeDoubtfulAsync(doubt);

        var restarted = await StartAsync(At);
        var full = await StartAsync(At, snapshot: false);

        var notUsed = restarted.Log.Snapshot().Where(l => l.Contains(NotUsed, StringComparison.Ordinal)).ToList();
        Assert.Single(notUsed);
        Assert.Contains(reason, notUsed[0], StringComparison.Ordinal);
        Assert.Contains(restarted.Log.Snapshot(), l => l.StartsWith("Ready: ", StringComparison.Ordinal));
        await AssertSameAsync(full.Recommender, restarted.Recommender);
    }

    [Fact]
    public async Task WithTheSwitchOffNoSnapshotIsWrittenOrRead()
    {
        await BuildAsync();
        var off = await StartAsync(At, snapshot: false);
        await off.Snapshot.WriteAsync(off.Loader.FeedPosition, CancellationToken.None);
        Assert.False(File.Exists(SnapshotPath));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_db.Path)!, Path.GetFileName(SnapshotPath) + "*"));

        var on = await StartAsync(At);
        await on.Snapshot.WriteAsync(on.Loader.FeedPosition, CancellationToken.None);
        var again = await StartAsync(At, snapshot: false);
        Assert.DoesNotContain(again.Log.Snapshot(), l => l.Contains("snapshot", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(again.Log.Snapshot(), l => l.StartsWith("Ready: ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task TheKeeperWritesTheSnapshotOnceAFullLoadIsReadyAndNoneWithTheSwitchOff(bool on, int written)
    {
        await BuildAsync();
        var started = await StartAsync(At, snapshot: on);
        using var keeper = Keeper(started);
        await keeper.StartAsync(CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (keeper.Written < written && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(20);
        if (!on) await keeper.ExecuteTask!;
        await keeper.StopAsync(CancellationToken.None);

        Assert.Equal(written, keeper.Written);
        Assert.Equal(on, File.Exists(SnapshotPath));
    }

    [Fact]
    public async Task TheKeeperWritesNothingAfterAStartFromACurrentSnapshot()
    {
        await BuildAsync();
        var first = await StartAsync(At);
        await first.Snapshot.WriteAsync(first.Loader.FeedPosition, CancellationToken.None);
        var written = File.GetLastWriteTimeUtc(SnapshotPath);

        var restarted = await StartAsync(At);
        using var keeper = Keeper(restarted);
        await keeper.StartAsync(CancellationToken.None);
        await restarted.Loader.WhenReady;
        await keeper.StopAsync(CancellationToken.None);

        Assert.True(restarted.Loader.StartedFromCurrentSnapshot);
        Assert.Equal(0, keeper.Written);
        Assert.Equal(written, File.GetLastWriteTimeUtc(SnapshotPath));
    }

    [Fact]
    public async Task TheFirstLearnedModelFitWaitsUntilTheStartsSnapshotIsWritten()
    {
        await BuildAsync();
        var started = await StartAsync(At);
        var options = new HybridOptions { LearnedFactors = 4, LearnedEpochs = 3, LearnedThreads = 1 };
        var models = new SqlLearnedModels(_db.Database);
        var published = new PublishedLearnedModel(models, started.Recommender, options, new Logger<PublishedLearnedModel>(started.Log));
        using var refresher = new LearnedModelRefresher(started.Recommender, options, started.Loader, new LearnedModelPath(LearnedModelFile.PathBeside(_db.Path)),
            new SqlLeases(_db.Database), models, published, new FakeTimeProvider(At), new Logger<LearnedModelRefresher>(started.Log), started.Snapshot);
        await refresher.StartAsync(CancellationToken.None);

        // Bounded look: a fit of this size takes milliseconds, so without the wait the model would be here.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(started.Recommender.Learned.Arrived, "the model was fitted while the start-up snapshot was still to be written");

        var keeper = Keeper(started);
        await keeper.StartAsync(CancellationToken.None);
        await Eventually.WaitAsync(() => Task.FromResult(started.Recommender.Learned.Arrived), arrived => arrived, TimeSpan.FromSeconds(30),
            _ => "the model did not arrive once the snapshot was written");
        Assert.True(File.Exists(SnapshotPath));
        await keeper.StopAsync(CancellationToken.None);
        await refresher.StopAsync(CancellationToken.None);
    }

    private SnapshotKeeper Keeper((Recommender Recommender, CoreLoader Loader, StartupSnapshot Snapshot, LogLines Log) started)
    {
        var clock = new FakeTimeProvider(At);
        var options = new HybridOptions();
        var published = new PublishedLearnedModel(new SqlLearnedModels(_db.Database), started.Recommender, options, new Logger<PublishedLearnedModel>(started.Log));
        var follower = new ChangeFollower(new SqlChangeFeed(_db.Database), started.Loader, new SqlCatalogStore(_db.Database), started.Recommender, published, clock,
            new Lifetime(), new Logger<ChangeFollower>(started.Log));
        return new SnapshotKeeper(started.Snapshot, started.Loader, follower, clock, new Logger<SnapshotKeeper>(started.Log));
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    private async Task MakeDoubtfulAsync(string doubt)
    {
        switch (doubt)
        {
            case "a preference row deleted with the sqlite3 shell":
                await ExecuteAsync("DELETE FROM preferences WHERE user_id = (SELECT MIN(user_id) FROM preferences) AND track_id = (SELECT MIN(track_id) FROM preferences WHERE user_id = (SELECT MIN(user_id) FROM preferences))");
                break;
            case "a tag deleted with the sqlite3 shell":
                await ExecuteAsync("DELETE FROM track_tags WHERE track_id = (SELECT MIN(track_id) FROM track_tags) AND tag = (SELECT MIN(tag) FROM track_tags WHERE track_id = (SELECT MIN(track_id) FROM track_tags))");
                break;
            case "the file cut short":
                await using (var file = new FileStream(SnapshotPath, FileMode.Open)) file.SetLength(file.Length / 2);
                break;
            case "a byte of the file changed":
                var bytes = await File.ReadAllBytesAsync(SnapshotPath);
                bytes[bytes.Length * 2 / 3] ^= 0x40;
                await File.WriteAllBytesAsync(SnapshotPath, bytes);
                break;
            case "a change after the snapshot pruned from the feed":
                var user = (await UsersAsync())[0];
                await CommitLikeAsync(user, (await TrackIdsAsync())[0], score: 2);
                await ExecuteAsync("DELETE FROM changes WHERE id = (SELECT MAX(id) FROM changes)");
                break;
            case "a feed emptied and moved on":
                await ExecuteAsync("DELETE FROM changes");
                await ExecuteAsync("UPDATE sqlite_sequence SET seq = seq + 5 WHERE name = 'changes'");
                break;
            case "a database made again at the same path":
                // Made by the same steps, so every count and the feed's position match: only its birth differs.
                await ExecuteAsync("UPDATE schema_migrations SET applied_at = applied_at - 1");
                break;
        }
    }

    private async Task AssertSameAsync(Recommender expected, Recommender actual)
    {
        Assert.Equal(expected.Catalog.Fingerprint, actual.Catalog.Fingerprint);
        Assert.Equal(expected.Preferences.CellCount(), actual.Preferences.CellCount());
        var chill = expected.Moods.Resolve("chill").Target;
        Assert.NotNull(chill);
        foreach (var user in await UsersAsync())
        {
            var (want, got) = (expected.Preferences.TasteOf(user), actual.Preferences.TasteOf(user));
            Assert.Equal(want.Hidden.Order(), got.Hidden.Order());
            Assert.Equal(want.Scores.Keys.Order(), got.Scores.Keys.Order());
            foreach (var (track, score) in want.Scores) Assert.Equal(score, got.Scores[track], 1e-9 * Math.Abs(score));
        }
        foreach (var user in (await UsersAsync()).Take(6))
        {
            foreach (var request in new[] { new RecommendationRequest { UserId = user, Count = 10 }, new RecommendationRequest { UserId = user, Count = 10, Mood = chill } })
            {
                var want = expected.Recommend(request).Select(r => r.Track.Id).ToList();
                Assert.NotEmpty(want);
                Assert.Equal(want, actual.Recommend(request).Select(r => r.Track.Id).ToList());
            }
        }
    }

    /// <summary>A small scale-run database, with some cells hidden (a hard dislike) and some only hidden (no score left).</summary>
    private async Task BuildAsync()
    {
        await ScaleRun.BuildDatabaseAsync(_db.Database, new ScaleSize(Tracks: 300, Users: 24, PerUser: 20), CancellationToken.None);
        await ExecuteAsync("UPDATE preferences SET hard_dislikes = 1 WHERE (user_id + track_id) % 17 = 0");
        await ExecuteAsync("UPDATE preferences SET score = 0 WHERE (user_id + track_id) % 34 = 0");
    }

    private async Task<(Recommender Recommender, CoreLoader Loader, StartupSnapshot Snapshot, LogLines Log)> StartAsync(DateTimeOffset epoch, bool snapshot = true)
    {
        var log = new LogLines();
        var learner = new PreferenceLearner(new LearningOptions());
        var catalog = new SqlCatalogStore(_db.Database);
        var recommender = new Recommender(CatalogIndex.Build([]), new PreferenceMatrix(learner, epoch), new HybridOptions());
        _made.Add(recommender);
        var feed = new SqlChangeFeed(_db.Database);
        var options = Options.Create(new StorageOptions { Path = _db.Path, Snapshot = snapshot });
        var startup = new StartupSnapshot(options, _db.Database, feed, catalog, recommender, new Logger<StartupSnapshot>(log));
        var loader = new CoreLoader(new StorageInitializer(_db.Database, catalog), catalog, new SqlPreferenceStore(_db.Database, learner),
            feed, recommender, new Logger<CoreLoader>(log), startup);
        await loader.StartAsync(CancellationToken.None);
        return (recommender, loader, startup, log);
    }

    /// <summary>A like as another worker's store commits it: the cell and its change, in one transaction.</summary>
    private Task<int> CommitLikeAsync(long user, long track, double score) =>
        _db.Database.WriteAsync(async (connection, transaction) =>
        {
            var entry = new PreferenceEntry(user, track, score, At, 0);
            await connection.ExecuteAsync(
                "INSERT OR REPLACE INTO preferences (user_id, track_id, score, hard_dislikes, updated_at) VALUES (@user, @track, @score, 0, @at)",
                new { user, track, score, at = At.ToUnixTimeMilliseconds() }, transaction);
            return await connection.ExecuteAsync(
                "INSERT INTO changes (kind, user_id, entries, origin, created_at) VALUES ('preferences', NULL, @entries, 'another-worker', @at)",
                new { entries = JsonSerializer.Serialize(new List<PreferenceEntry> { entry }), at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
        }, CancellationToken.None);

    private Task<int> ExecuteAsync(string sql) => _db.Database.WriteAsync((connection, transaction) => connection.ExecuteAsync(sql, transaction: transaction), CancellationToken.None);

    private async Task<List<long>> UsersAsync() =>
        [.. await _db.Database.ReadAsync(c => c.QueryAsync<long>("SELECT DISTINCT user_id FROM preferences ORDER BY user_id"), CancellationToken.None)];

    private async Task<List<long>> TrackIdsAsync() =>
        [.. await _db.Database.ReadAsync(c => c.QueryAsync<long>("SELECT id FROM tracks ORDER BY id"), CancellationToken.None)];
}
