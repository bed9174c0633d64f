using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Ranking;
using SpotMirror.Core.Service;
using SpotMirror.Storage;

namespace SpotMirror.Worker.Hosting;

/// <summary>
/// Brings the learned model (iALS) in and keeps it fresh, never on the request path and never before
/// start-up is done: first the factors saved beside the database (a file of another catalogue, truncated
/// or missing is refused with one log line and refitted), then a warm-started refit whenever the
/// preferences changed, at most once per interval, each swapped in whole and saved. Between fits nothing
/// is stale on the user side: a user's vector is solved from their current likes at request time.
/// </summary>
public sealed partial class LearnedModelRefresher(
    Recommender recommender,
    HybridOptions options,
    CoreLoader loader,
    LearnedModelPath path,
    TimeProvider clock,
    ILogger<LearnedModelRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Learned <= 0) return;
        await loader.WhenReady.WaitAsync(stoppingToken).ConfigureAwait(false);
        var settings = options.LearnedSettings();
        var fittedVersion = recommender.Preferences.Version;
        var loaded = await Task.Run(Load, stoppingToken).ConfigureAwait(false);
        if (loaded is null) await FitAsync(settings, stoppingToken).ConfigureAwait(false);

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.LearnedRefreshMinutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var version = recommender.Preferences.Version;
            if (version == fittedVersion) continue;
            await FitAsync(settings, stoppingToken).ConfigureAwait(false);
            fittedVersion = version;
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

    private async Task FitAsync(ImplicitAlsSettings settings, CancellationToken stoppingToken)
    {
        var previous = recommender.Learned.Model;
        var catalog = recommender.Catalog;
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
        if (model.ItemCount == 0) return;
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model fitted in the background: {Items} items, {Users} users, {Seconds:F1} s")]
    private static partial void LogFitted(ILogger logger, int items, int users, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model fit cancelled: stopping")]
    private static partial void LogFitCancelled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model loaded from {Path}: {Items} items, {Users} users")]
    private static partial void LogLoaded(ILogger logger, int items, int users, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model file {Path} not used ({Reason}); fitting in the background")]
    private static partial void LogRefused(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the learned model to {Path}; the next start refits it")]
    private static partial void LogSaveFailed(ILogger logger, string path, Exception exception);
}

/// <summary>Where the learned model's factors are kept: beside the database.</summary>
public sealed record LearnedModelPath(string Value);
