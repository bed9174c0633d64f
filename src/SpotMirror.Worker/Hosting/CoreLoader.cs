using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Storage;

namespace SpotMirror.Worker.Hosting;

/// <summary>
/// Start-up, before any adapter: migrations, the starter catalog on an empty database, then the
/// catalog index and the preference matrix built in memory. Adapters start only after this finishes.
/// Nothing is fitted here: the learned model arrives later from <see cref="LearnedModelRefresher"/>.
/// </summary>
public sealed partial class CoreLoader(
    StorageInitializer storage,
    ICatalogStore catalog,
    IPreferenceStore preferences,
    Recommender recommender,
    ILogger<CoreLoader> logger) : IHostedService
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Ready => _ready.Task.IsCompletedSuccessfully;

    /// <summary>Completes when the catalogue and the preferences are in memory.</summary>
    public Task WhenReady => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var report = await storage.InitializeAsync(seedStarterCatalog: true, cancellationToken).ConfigureAwait(false);
        if (report.MigrationsApplied.Count > 0) LogMigrated(logger, string.Join(", ", report.MigrationsApplied));
        if (report.StarterImport is { } seeded) LogSeeded(logger, seeded.Added);

        var tracks = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        recommender.Publish(CatalogIndex.Build(tracks));
        var load = recommender.Preferences.StartLoad();
        var entries = await preferences.StreamAsync(load.Add, cancellationToken).ConfigureAwait(false);
        load.Finish();
        _ready.TrySetResult();
        LogReady(logger, tracks.Count, entries);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migrations {Versions}")]
    private static partial void LogMigrated(ILogger logger, string versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported the starter catalog: {Tracks} tracks")]
    private static partial void LogSeeded(ILogger logger, int tracks);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: {Tracks} tracks indexed, {Preferences} preferences loaded")]
    private static partial void LogReady(ILogger logger, int tracks, long preferences);
}
