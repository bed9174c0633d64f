using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Runtime;

/// <summary>
/// The learned model another worker fitted and published in the database: loaded at start and whenever the
/// change feed says a new one is out, unless it is the one already in memory (this worker's own, or loaded).
/// </summary>
public sealed partial class PublishedLearnedModel(
    ILearnedModels models,
    Recommender recommender,
    HybridOptions options,
    ILogger<PublishedLearnedModel> logger)
{
    private long _inMemory;

    /// <summary>Notes that the publication with this id is what memory holds (the fitting worker's own).</summary>
    public void Holding(long id) => Interlocked.Exchange(ref _inMemory, id);

    /// <summary>True when the latest published model is in memory now (loaded now or before); false when there is none fit to use.</summary>
    public async Task<bool> TryLoadAsync(CancellationToken cancellationToken)
    {
        if (options.Learned <= 0) return false;
        var latest = await models.LatestIdAsync(cancellationToken).ConfigureAwait(false);
        if (latest == 0) return false;
        if (latest == Interlocked.Read(ref _inMemory)) return true;
        var catalog = recommender.Catalog;
        var (id, model, refused) = await models.LatestAsync(catalog.Fingerprint, catalog.Count, cancellationToken).ConfigureAwait(false);
        if (model is null || model.Factors != options.LearnedFactors)
        {
            LogRefused(logger, id, refused ?? $"it has {model?.Factors} factors, the settings ask for {options.LearnedFactors}");
            return false;
        }
        recommender.Learned.Publish(model);
        Holding(id);
        LogLoaded(logger, id, model.ItemCount, model.UserCount);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Learned model loaded from the database (publication {Id}): {Items} items, {Users} users")]
    private static partial void LogLoaded(ILogger logger, long id, int items, int users);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published learned model {Id} not used: {Reason}")]
    private static partial void LogRefused(ILogger logger, long id, string reason);
}
