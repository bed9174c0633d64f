using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Worker.Hosting;

/// <summary>
/// Keeps the learned model (EASE) fresh after the start-up fit: refits whenever the preferences changed
/// since the last fit, at most once per interval, and swaps the new model in whole.
/// Between fits nothing is stale on the user side: a like counts at once, because scoring reads each
/// user's likes live; only the item-item weights wait for the next fit.
/// </summary>
public sealed partial class LearnedModelRefresher(
    Recommender recommender,
    HybridOptions options,
    CoreLoader loader,
    TimeProvider clock,
    ILogger<LearnedModelRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Learned <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.LearnedRefreshMinutes), clock);
        var fittedVersion = loader.LearnedVersion;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!loader.Ready) continue;
            var version = recommender.Preferences.Version;
            if (version == fittedVersion) continue;
            try
            {
                var model = await Task.Run(() => recommender.FitLearned(options.LearnedLambda, options.LearnedMinUsers), stoppingToken).ConfigureAwait(false);
                recommender.Learned.Publish(model);
                fittedVersion = version;
                LogFitted(logger, model.ItemCount, model.Users, model.FitTime.TotalMilliseconds);
            }
            catch (InvalidOperationException exception)
            {
                // A matrix that is not positive definite keeps the previous model; a larger λ would fix it.
                LogFitFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model fitted: {Items} items, {Users} users, {Milliseconds:F0} ms")]
    private static partial void LogFitted(ILogger logger, int items, int users, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Learned model fit failed; keeping the previous model")]
    private static partial void LogFitFailed(ILogger logger, Exception exception);
}
