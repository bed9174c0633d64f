using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Runtime;

/// <summary>
/// Mirrors what other workers on the same database commit: from the feed position the core loader read before
/// it loaded, every change is applied in id order to the in-memory matrix and catalogue. Woken by the
/// database's notification where there is one (PostgreSQL), and polling every half second all the same, so a
/// missed notification delays a change by one poll at most. This process's own changes come round too and are
/// passed over: it applied each to its memory when it committed, and applying it again after a later change
/// of its own could briefly set a cell back.
/// </summary>
public sealed partial class ChangeFollower(
    IChangeFeed feed,
    CoreLoader loader,
    ICatalogStore catalog,
    Recommender recommender,
    PublishedLearnedModel learned,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<ChangeFollower> logger) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a change stays in the feed. A running worker reads it within one poll, so this only has to
    /// outlast a worker cut off from the database; an hour keeps the table small (a busy hour of feedback) and
    /// is far longer than a database restart or a network blip.
    /// </summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(1);

    private static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(10);
    private const int Page = 500;

    /// <summary>The id of the last change applied (for tests and diagnostics).</summary>
    public long Position { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await loader.WhenReady.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        Position = loader.FeedPosition;
        var lastRead = clock.GetUtcNow();
        var nextPrune = lastRead;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var changes = await feed.AfterAsync(Position, Page, stoppingToken).ConfigureAwait(false);
                var now = clock.GetUtcNow();
                if (now - lastRead > Retention)
                {
                    // Changes this worker never saw may have been pruned meanwhile: its memory can no longer be
                    // trusted, and a fresh start (a supervisor restarts it) reloads everything.
                    LogFellBehind(logger, (now - lastRead).TotalMinutes);
                    lifetime.StopApplication();
                    return;
                }
                lastRead = now;
                if (changes.Count > 0)
                {
                    await ApplyAsync(changes, stoppingToken).ConfigureAwait(false);
                    if (changes.Count == Page) continue;
                }
                if (now >= nextPrune)
                {
                    await feed.PruneAsync(now - Retention, stoppingToken).ConfigureAwait(false);
                    nextPrune = now + PruneEvery;
                }
                await feed.WaitAsync(Poll, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is DbException or StorageUnavailableException or StoreFaultException)
            {
                // The database is away for a moment: the position stays, so nothing is skipped once it answers.
                LogUnavailable(logger, exception.Message);
                try
                {
                    await Task.Delay(Poll, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task ApplyAsync(IReadOnlyList<Change> changes, CancellationToken cancellationToken)
    {
        var catalogueChanged = false;
        var modelPublished = false;
        foreach (var change in changes.Where(c => !c.Local))
        {
            if (change.ApplyTo(recommender.Preferences)) continue;
            catalogueChanged |= change.Kind == ChangeKind.Catalogue;
            modelPublished |= change.Kind == ChangeKind.Model;
        }
        // The index is rebuilt once per page, after the page's preference changes: a new track's cells are
        // harmless before the index knows it (ranking looks tracks up in the index).
        if (catalogueChanged)
        {
            var tracks = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
            var current = recommender.Catalog;
            recommender.Publish(CatalogIndex.Build(tracks, current.Lexicon, current.Moods));
        }
        // After the catalogue: a model fitted on the new catalogue is refused by the old index's fingerprint.
        if (modelPublished) await learned.TryLoadAsync(cancellationToken).ConfigureAwait(false);
        Position = changes[^1].Id;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the change feed paused: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "This worker could not read the change feed for {Minutes:F0} minutes, longer than changes are kept; stopping so that a restart reloads everything")]
    private static partial void LogFellBehind(ILogger logger, double minutes);
}
