using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;

namespace SpotMirror.Worker.Hosting;

/// <summary>
/// Start-up, before any adapter: migrations, the starter catalog on an empty database, then the
/// catalog index and the preference matrix built in memory. Adapters start only after this finishes.
/// </summary>
public sealed partial class CoreLoader(
    StorageInitializer storage,
    ICatalogStore catalog,
    IPreferenceStore preferences,
    Recommender recommender,
    HybridOptions options,
    ILogger<CoreLoader> logger) : IHostedService
{
    public bool Ready { get; private set; }

    /// <summary>The preference version the start-up fit of the learned model saw (the refresher refits only past it).</summary>
    public long LearnedVersion { get; private set; } = long.MinValue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var report = await storage.InitializeAsync(seedStarterCatalog: true, cancellationToken).ConfigureAwait(false);
        if (report.MigrationsApplied.Count > 0) LogMigrated(logger, string.Join(", ", report.MigrationsApplied));
        if (report.StarterImport is { } seeded) LogSeeded(logger, seeded.Added);

        var tracks = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        recommender.Publish(CatalogIndex.Build(tracks));
        var entries = await preferences.LoadAsync(cancellationToken).ConfigureAwait(false);
        recommender.Preferences.Load(entries);
        if (options.Learned > 0)
        {
            // The first fit is part of start-up, so the first answer already uses it (seconds even at 50,000 tracks).
            LearnedVersion = recommender.Preferences.Version;
            var model = await Task.Run(() => recommender.FitLearned(options.LearnedLambda, options.LearnedMinUsers), cancellationToken).ConfigureAwait(false);
            recommender.Learned.Publish(model);
            LogLearned(logger, model.ItemCount, model.FitTime.TotalMilliseconds);
        }
        Ready = true;
        LogReady(logger, tracks.Count, entries.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migrations {Versions}")]
    private static partial void LogMigrated(ILogger logger, string versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported the starter catalog: {Tracks} tracks")]
    private static partial void LogSeeded(ILogger logger, int tracks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model fitted at start: {Items} items in {Milliseconds:F0} ms")]
    private static partial void LogLearned(ILogger logger, int items, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: {Tracks} tracks indexed, {Preferences} preferences loaded")]
    private static partial void LogReady(ILogger logger, int tracks, int preferences);
}
