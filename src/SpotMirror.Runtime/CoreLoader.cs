using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Storage;

namespace SpotMirror.Runtime;

/// <summary>
/// Start-up, before any adapter: migrations, the starter catalog on an empty database, then the
/// catalog index and the preference matrix built in memory. Adapters start only after this finishes.
/// Nothing is fitted here: the learned model arrives later from <see cref="LearnedModelRefresher"/>.
/// </summary>
public sealed partial class CoreLoader(
    StorageInitializer storage,
    ICatalogStore catalog,
    IPreferenceStore preferences,
    IChangeFeed changes,
    Recommender recommender,
    ILogger<CoreLoader> logger,
    StartupSnapshot? snapshot = null) : IHostedService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Ready => _ready.Task.IsCompletedSuccessfully;

    /// <summary>The change feed's last id, read before the catalogue and preferences were loaded (after a start from the snapshot, the id its replay reached): the follower starts there.</summary>
    public long FeedPosition { get; private set; }

    /// <summary>True when this start read the start-up snapshot (and replayed nothing after it): there is nothing new to write.</summary>
    public bool StartedFromCurrentSnapshot { get; private set; }

    /// <summary>Completes when the catalogue and the preferences are in memory.</summary>
    public Task WhenReady => _ready.Task;

    /// <remarks>
    /// SQLite's waits (a locked file's busy wait, a long read) block the calling thread and look at no token,
    /// so the loading runs on a thread of its own and only the wait for it is cancelled: a stop request
    /// (SIGTERM) during start-up ends start-up at once. The abandoned load dies with the process, which is
    /// stopping; its reads check the token row by row, so it also stops soon on its own.
    /// </remarks>
    public Task StartAsync(CancellationToken cancellationToken) =>
        Task.Run(() => LoadAsync(cancellationToken), cancellationToken).WaitAsync(cancellationToken);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var report = await storage.InitializeAsync(seedStarterCatalog: true, cancellationToken).ConfigureAwait(false);
        if (report.MigrationsApplied.Count > 0) LogMigrated(logger, string.Join(", ", report.MigrationsApplied));
        if (report.StarterImport is { } seeded) LogSeeded(logger, seeded.Added);

        var clock = Stopwatch.StartNew();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        if (snapshot is { Enabled: true } && await snapshot.TryLoadAsync(cancellationToken).ConfigureAwait(false) is { } start)
        {
            FeedPosition = start.Position;
            StartedFromCurrentSnapshot = start.Replayed == 0 && !start.CatalogueFromDatabase;
            _ready.TrySetResult();
            LogReadyFromSnapshot(logger, start.Tracks, start.Cells, start.Replayed, start.CatalogueFromDatabase ? "the database" : "the snapshot", clock.Elapsed.TotalSeconds, start.Phases);
            return;
        }
        // Read before loading: a change committed while the load runs is then applied again (to the same
        // committed values) rather than missed.
        FeedPosition = snapshot is { Enabled: true }
            ? await snapshot.FeedPositionAsync(cancellationToken).ConfigureAwait(false)
            : await changes.LastIdAsync(cancellationToken).ConfigureAwait(false);
        // The catalogue and the preferences need nothing of each other: each reads on its own connection and
        // builds on its own core, so start-up takes the longer of the two rather than their sum.
        var catalogue = Task.Run(() => LoadCatalogueAsync(cancellationToken), cancellationToken);
        var matrix = Task.Run(() => LoadPreferencesAsync(cancellationToken), cancellationToken);
        await Task.WhenAll(catalogue, matrix).ConfigureAwait(false);
        var (tracks, tracksRead, indexed) = await catalogue.ConfigureAwait(false);
        var (entries, preferencesRead, built) = await matrix.ConfigureAwait(false);
        _ready.TrySetResult();
        var phases = FormattableString.Invariant(
            $"tracks read {tracksRead.TotalSeconds:F1} s, index {(indexed - tracksRead).TotalSeconds:F1} s; preferences read {preferencesRead.TotalSeconds:F1} s, matrix {(built - preferencesRead).TotalSeconds:F1} s; CPU {cpuBefore.TotalSeconds:F1} s before the load, {Environment.CpuUsage.TotalTime.TotalSeconds:F1} s in all");
        LogReady(logger, tracks, indexed.TotalSeconds, entries, built.TotalSeconds, phases);
    }

    /// <summary>Streams the preferences into the matrix; the times are when the read and the build ended, from the start.</summary>
    private async Task<(long Entries, TimeSpan Read, TimeSpan Built)> LoadPreferencesAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var load = recommender.Preferences.StartLoad();
        var entries = await preferences.StreamAsync(load.Add, cancellationToken).ConfigureAwait(false);
        var read = clock.Elapsed;
        load.Finish();
        return (entries, read, clock.Elapsed);
    }

    private async Task<(int Tracks, TimeSpan Read, TimeSpan Indexed)> LoadCatalogueAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var tracks = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        var read = clock.Elapsed;
        recommender.Publish(CatalogIndex.Build(tracks));
        return (tracks.Count, read, clock.Elapsed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migrations {Versions}")]
    private static partial void LogMigrated(ILogger logger, string versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported the starter catalog: {Tracks} tracks")]
    private static partial void LogSeeded(ILogger logger, int tracks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready from the start-up snapshot: {Tracks} tracks (catalogue from {CatalogueFrom}), {Cells} preference cells, {Replayed} changes replayed after it, in {Seconds:F1} s ({Phases})")]
    private static partial void LogReadyFromSnapshot(ILogger logger, int tracks, long cells, int replayed, string catalogueFrom, double seconds, string phases);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: {Tracks} tracks indexed in {CatalogueSeconds:F1} s, {Preferences} preferences loaded in {PreferenceSeconds:F1} s ({Phases})")]
    private static partial void LogReady(ILogger logger, int tracks, double catalogueSeconds, long preferences, double preferenceSeconds, string phases);
}
