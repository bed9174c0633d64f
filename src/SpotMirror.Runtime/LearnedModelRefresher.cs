using System.Data.Common;
using System.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Ranking;
using SpotMirror.Core.Service;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Runtime;

/// <summary>
/// Brings the learned model (iALS) in and keeps it fresh, never on the request path and never before
/// start-up is done: first the model published in the database by whichever worker fits, else the factors
/// saved beside the database (written only when a publication failed; a file of another catalogue, of an
/// older format, truncated or missing is refused with one log line), else a fit; then a warm-started refit
/// whenever the preferences changed, at most once per interval, each swapped in whole and published once (in
/// the database, written in pieces so likes never wait for it). Only the worker holding the "learned-model"
/// lease fits (several workers on one database would otherwise each spend every core on the same fit); it
/// publishes the factors in the database, and the change feed makes the others load them. Between fits
/// nothing is stale on the user side: a user's vector is solved from their current likes at request time.
/// </summary>
public sealed partial class LearnedModelRefresher(
    Recommender recommender,
    HybridOptions options,
    CoreLoader loader,
    LearnedModelPath path,
    ILeases leases,
    ILearnedModels models,
    PublishedLearnedModel published,
    TimeProvider clock,
    ILogger<LearnedModelRefresher> logger,
    StartupSnapshot? snapshot = null) : BackgroundService
{
    public const string LeaseName = "learned-model";

    /// <summary>This worker, as a lease holder: unique per process start, so a restarted worker never mistakes its old lease for its own.</summary>
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>
    /// Short, and renewed every quarter of it for as long as this worker lives (through a fit of minutes too): a worker
    /// killed mid-fit leaves a lease that lapses within this time, so another takes the fitting over at its next refresh,
    /// while a live holder keeps it between fits and the workers do not take turns fitting the same likes.
    /// </summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromMinutes(2);

    private TimeSpan RenewEvery => LeaseTime / 4;

    /// <summary>1 while this worker holds the lease as far as it knows (taken, and every renewal since succeeded).</summary>
    private int _holding;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Learned <= 0) return;
        await loader.WhenReady.WaitAsync(stoppingToken).ConfigureAwait(false);
        var settings = options.LearnedSettings();
        var fittedVersion = recommender.Preferences.Version;
        using var renewal = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewing = KeepLeaseAsync(renewal.Token);
        try
        {
            var loaded = await published.TryLoadAsync(stoppingToken).ConfigureAwait(false)
                || await Task.Run(Load, stoppingToken).ConfigureAwait(false) is not null;
            if (!loaded)
            {
                // The version the fit will see, read just before it: likes that came during the load are in this fit,
                // so the next tick must not fit them again.
                if (snapshot is { Enabled: true }) await snapshot.StartWritten.WaitAsync(stoppingToken).ConfigureAwait(false);
                var version = recommender.Preferences.Version;
                CompactHeap();
                if (await FitIfHolderAsync(settings, stoppingToken).ConfigureAwait(false)) fittedVersion = version;
            }

            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.LearnedRefreshMinutes), clock);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var version = recommender.Preferences.Version;
                if (version == fittedVersion) continue;
                if (await FitIfHolderAsync(settings, stoppingToken).ConfigureAwait(false)) fittedVersion = version;
            }
        }
        finally
        {
            await renewal.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            await ReleaseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Renews the lease while this worker holds it, until stopped; a renewal refused (the lease ran out and was taken) ends the holding.</summary>
    private async Task KeepLeaseAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Volatile.Read(ref _holding) == 0) continue;
                try
                {
                    if (!await leases.RenewAsync(LeaseName, _holder, LeaseTime, cancellationToken).ConfigureAwait(false))
                    {
                        Volatile.Write(ref _holding, 0);
                        LogLeaseLost(logger);
                    }
                }
                catch (Exception exception) when (exception is DbException or StorageUnavailableException or StoreFaultException)
                {
                    // Kept as held: the next renewal tries again, and if the lease ran out meanwhile it says so.
                    LogLeaseUnavailable(logger, exception.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the lease is released after this.
        }
    }

    /// <summary>
    /// Start-up leaves the buffers of its bulk loads free but still resident (mostly large-object-heap arrays); the
    /// first fit's working set would land on top of them. One full compacting collection before it gives them back
    /// to the system, so the fit's peak is the live data plus the fit. Once, at start-up, off the request path (a pause
    /// of about a second at 1 M tracks, before the adapters are busy).
    /// </summary>
    private void CompactHeap()
    {
        var started = clock.GetTimestamp();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogCompacted(logger, clock.GetElapsedTime(started).TotalMilliseconds, Environment.WorkingSet / 1048576.0);
    }

    /// <summary>Fits and publishes when this worker holds (or now takes) the lease; false when another worker does the fitting.</summary>
    private async Task<bool> FitIfHolderAsync(ImplicitAlsSettings settings, CancellationToken stoppingToken)
    {
        Lease lease;
        try
        {
            lease = await leases.TryAcquireAsync(LeaseName, _holder, LeaseTime, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is DbException or StorageUnavailableException or StoreFaultException)
        {
            LogLeaseUnavailable(logger, exception.Message);
            return false;
        }
        Volatile.Write(ref _holding, lease.Holder == _holder ? 1 : 0);
        if (lease.Holder != _holder)
        {
            LogAnotherFits(logger, lease.Holder, lease.ExpiresAt);
            return false;
        }
        var replaces = recommender.Learned.Arrived;
        if (replaces)
        {
            // As at start-up: the garbage of the period since (the requests', the last fit's working set) collected and
            // compacted first, so the refit's half gigabyte of factors is added to the live data alone.
            CompactHeap();
        }
        var model = await FitAsync(settings, stoppingToken).ConfigureAwait(false);
        if (model.ItemCount == 0) return true;
        var catalog = recommender.Catalog;
        var started = clock.GetTimestamp();
        try
        {
            published.Holding(await models.PublishAsync(model, catalog.Fingerprint, catalog.Count, _holder, stoppingToken).ConfigureAwait(false));
            LogPublished(logger, LearnedModelFile.SizeOf(model) / 1048576.0, clock.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception exception) when (exception is DbException or StorageUnavailableException or StoreFaultException)
        {
            // This worker still uses its fit; the others keep theirs until the next publication. The file is the
            // fallback for this worker's next start; a published model makes it redundant (the start loads that first).
            LogPublishFailed(logger, exception.Message);
            await SaveAsync(model, stoppingToken).ConfigureAwait(false);
        }
        ReturnRetired(replaces);
        return true;
    }

    private async Task SaveAsync(ImplicitAlsModel model, CancellationToken stoppingToken)
    {
        var catalog = recommender.Catalog;
        try
        {
            await Task.Run(() => LearnedModelFile.Save(path.Value, model, catalog.Fingerprint, catalog.Count), stoppingToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            LogSaveFailed(logger, path.Value, exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            LogSaveFailed(logger, path.Value, exception);
        }
    }

    /// <summary>
    /// After a refit the previous model (a quarter of a gigabyte at a million tracks) is garbage, but with little
    /// allocation pressure nothing collected it and it stayed resident beside the new one. A background collection (no
    /// compaction: the model's arrays are large objects, freed in place) gives it back without the seconds-long pause of
    /// a compacting one; the next refit's peak is bounded all the same by the compaction before it. Not after a first fit:
    /// that would free only the fit's working set, and the marking of the whole heap took a core from the requests just
    /// as the model arrived.
    /// </summary>
    private void ReturnRetired(bool replaced)
    {
        var started = clock.GetTimestamp();
        if (replaced) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false, compacting: false);
        var memory = GC.GetGCMemoryInfo();
        LogHeap(logger, clock.GetElapsedTime(started).TotalMilliseconds, memory.HeapSizeBytes / 1048576.0, memory.TotalCommittedBytes / 1048576.0, Environment.WorkingSet / 1048576.0);
    }

    private async Task ReleaseAsync()
    {
        try
        {
            // Bounded: a stop must not wait on an unreachable database; the lease then just runs out.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await leases.ReleaseAsync(LeaseName, _holder, patience.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is DbException or StorageUnavailableException or StoreFaultException or OperationCanceledException or ObjectDisposedException)
        {
            LogLeaseUnavailable(logger, exception.Message);
        }
    }

    private ImplicitAlsModel? Load()
    {
        var catalog = recommender.Catalog;
        var (model, refused) = LearnedModelFile.Load(path.Value, catalog.Fingerprint, catalog.Count);
        if (model is null || model.Factors != options.LearnedFactors)
        {
            LogRefused(logger, path.Value, refused ?? $"it has {model?.Factors} factors, the settings ask for {options.LearnedFactors}");
            return null;
        }
        recommender.Learned.Publish(model);
        Telemetry.LearnedModelFitted(File.GetLastWriteTimeUtc(path.Value));
        LogLoaded(logger, model.ItemCount, model.UserCount, path.Value);
        return model;
    }

    private async Task<ImplicitAlsModel> FitAsync(ImplicitAlsSettings settings, CancellationToken stoppingToken)
    {
        var previous = recommender.Learned.Model;
        ImplicitAlsModel model;
        try
        {
            model = await Task.Run(() => recommender.FitLearned(settings, previous, stoppingToken), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A stop (SIGTERM) during a fit of minutes: the fit gives up between two solves; the next start fits again.
            LogFitCancelled(logger);
            throw;
        }
        recommender.Learned.Publish(model);
        Telemetry.LearnedModelFitted(clock.GetUtcNow());
        LogFitted(logger, model.ItemCount, model.UserCount, model.FitTime.TotalSeconds);
        return model;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model fitted in the background: {Items} items, {Users} users, {Seconds:F1} s")]
    private static partial void LogFitted(ILogger logger, int items, int users, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model published ({Milliseconds:F0} ms starting the collection of the one it replaced): managed heap {Heap:F0} MiB ({Committed:F0} MiB committed), resident {Resident:F0} MiB")]
    private static partial void LogHeap(ILogger logger, double milliseconds, double heap, double committed, double resident);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model published in the database for the other workers and the next start: {MiB:F0} MiB in {Milliseconds:F0} ms")]
    private static partial void LogPublished(ILogger logger, double miB, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model: heap compacted in {Milliseconds:F0} ms (a full blocking collection, a pause of the whole process); resident {Resident:F0} MiB")]
    private static partial void LogCompacted(ILogger logger, double milliseconds, double resident);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model fit cancelled: stopping")]
    private static partial void LogFitCancelled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model loaded from {Path}: {Items} items, {Users} users")]
    private static partial void LogLoaded(ILogger logger, int items, int users, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model file {Path} not used ({Reason}); fitting in the background")]
    private static partial void LogRefused(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model: {Holder} holds the fitting lease until {Until:u}; this worker takes the model it publishes")]
    private static partial void LogAnotherFits(ILogger logger, string holder, DateTimeOffset until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learned model: the fitting lease could not be read or written ({Reason}); trying again at the next refresh")]
    private static partial void LogLeaseUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learned model: the fitting lease ran out before this worker renewed it; another worker may fit now")]
    private static partial void LogLeaseLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learned model: could not publish the fitted model to the other workers ({Reason})")]
    private static partial void LogPublishFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the learned model to {Path}; the next start refits it")]
    private static partial void LogSaveFailed(ILogger logger, string path, Exception exception);
}

/// <summary>Where the learned model's factors are kept: beside the database.</summary>
public sealed record LearnedModelPath(string Value);
