using System.Globalization;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;

namespace SpotMirror.UseCases;

/// <summary>What `catalog sync` was asked for: these tags, this many top tracks of each.</summary>
public sealed record SyncRequest(IReadOnlyList<string> Tags, int PerTag)
{
    /// <summary>The tags cleaned up (lower case, single spaces, each once), in the order given.</summary>
    public static IReadOnlyList<string> CleanTags(IEnumerable<string> raw) =>
        raw.SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(t => string.Join(' ', t.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .Where(t => t.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}

/// <summary>How a sync went; AlreadyDone is what an interrupted earlier run had finished.</summary>
public sealed record SyncReport(int Planned, int AlreadyDone, int Added, int Updated, int Unchanged, int NotFound, int Refused, IReadOnlyList<string> EmptyTags);

/// <summary>
/// `catalog sync` over any metadata provider: each tag's top tracks make a plan (stored), then each planned
/// track's info and top tags are fetched and upserted, the track marked done in the same transaction. An
/// interruption (a crash, Ctrl+C, the provider giving up) leaves the plan and the done marks, so the same
/// request run again resumes; a completed run is forgotten, and a repeat finds nothing to change unless
/// the provider has something new.
/// </summary>
public sealed class CatalogSync(ICatalogStore catalog, ISyncState state, ITransactions transactions, TimeProvider clock)
{
    public const string Added = "added";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string NotFound = "not-found";
    public const string Refused = "refused";

    /// <summary>What names a request's run: the same provider, tags (in any order) and count resume each other.</summary>
    public static string RunKey(string provider, SyncRequest request) =>
        string.Create(CultureInfo.InvariantCulture, $"{provider}|{request.PerTag}|{string.Join(',', request.Tags.Order(StringComparer.Ordinal))}");

    /// <summary>
    /// Runs (or resumes) the sync. started is told the plan's size and how much was done before; progress
    /// gets the count of done tracks after each one. A <see cref="MetadataException"/> that stops the run
    /// leaves it resumable; so does cancellation.
    /// </summary>
    public async Task<SyncReport> RunAsync(
        IMetadataProvider provider, SyncRequest request, Action<int, int>? started, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(request);
        var key = RunKey(provider.Name, request);
        var plan = await state.PlanAsync(key, cancellationToken).ConfigureAwait(false);
        var emptyTags = new List<string>();
        if (plan is null)
        {
            plan = await PlanAsync(provider, request, emptyTags, cancellationToken).ConfigureAwait(false);
            await state.SavePlanAsync(key, provider.Name, plan, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        var alreadyDone = plan.Count(i => i.Done);
        started?.Invoke(plan.Count, alreadyDone);
        var outcomes = plan.Where(i => i.Done).Select(i => i.Outcome!).ToList();
        var done = alreadyDone;
        foreach (var item in plan.Where(i => !i.Done))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await SyncOneAsync(provider, key, item, cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            progress?.Report(++done);
        }
        await state.FinishAsync(key, cancellationToken).ConfigureAwait(false);
        return new SyncReport(plan.Count, alreadyDone,
            outcomes.Count(o => o == Added), outcomes.Count(o => o == Updated), outcomes.Count(o => o == Unchanged),
            outcomes.Count(o => o == NotFound), outcomes.Count(o => o == Refused), emptyTags);
    }

    /// <summary>Every tag's top tracks, in tag order then rank, each track once with every tag that listed it.</summary>
    private static async Task<List<SyncItem>> PlanAsync(IMetadataProvider provider, SyncRequest request, List<string> emptyTags, CancellationToken cancellationToken)
    {
        var order = new List<string>();
        var byKey = new Dictionary<string, (ProviderTrack Track, List<string> Tags)>(StringComparer.Ordinal);
        foreach (var tag in request.Tags)
        {
            var tracks = await provider.TagTopTracksAsync(tag, request.PerTag, cancellationToken).ConfigureAwait(false);
            if (tracks.Count == 0) emptyTags.Add(tag);
            foreach (var track in tracks)
            {
                var key = track.ProviderId ?? $"{Text.Normalize(track.Artist)}|{Text.Normalize(track.Title)}";
                if (byKey.TryGetValue(key, out var seen))
                {
                    if (!seen.Tags.Contains(tag)) seen.Tags.Add(tag);
                    continue;
                }
                byKey[key] = (track, [tag]);
                order.Add(key);
            }
        }
        return order.Select((key, position) =>
        {
            var (track, tags) = byKey[key];
            return new SyncItem(position, track.Artist, track.Title, track.ProviderId, tags, null);
        }).ToList();
    }

    /// <summary>One track: its info fetched first (outside any transaction), then stored and marked done together.</summary>
    private async Task<string> SyncOneAsync(IMetadataProvider provider, string key, SyncItem item, CancellationToken cancellationToken)
    {
        ProviderTrack? info;
        string outcome;
        try
        {
            info = await provider.TrackInfoAsync(new TrackRef(item.Artist, item.Title, item.ProviderId), cancellationToken).ConfigureAwait(false);
            outcome = info is null ? NotFound : "";
        }
        catch (MetadataException exception) when (exception.Failure is MetadataFailure.NotFound or MetadataFailure.Refused)
        {
            info = null;
            outcome = exception.Failure == MetadataFailure.NotFound ? NotFound : Refused;
        }
        return await transactions.RunAsync(async (unit, ct) =>
        {
            if (info is not null)
            {
                var (result, _) = await catalog.UpsertAsync(unit, [WithSyncTags(info, item.Tags).ToInput()], ct).ConfigureAwait(false);
                outcome = result.Added > 0 ? Added : result.Updated > 0 ? Updated : Unchanged;
            }
            await state.MarkDoneAsync(unit, key, item.Position, outcome, clock.GetUtcNow(), ct).ConfigureAwait(false);
            return outcome;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The track keeps the tags it was listed under: with no tags of its own they are its tags; otherwise a
    /// missing one joins at the weight of its weakest tag.
    /// </summary>
    public static ProviderTrack WithSyncTags(ProviderTrack track, IReadOnlyList<string> syncTags)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.Tags.Count == 0) return track with { Tags = syncTags.Select(t => new TagWeight(t, 100)).ToList() };
        var weakest = track.Tags.Min(t => t.Weight);
        var missing = syncTags.Where(t => !track.Tags.Any(x => x.Tag == t)).Select(t => new TagWeight(t, weakest)).ToList();
        return missing.Count == 0 ? track : track with { Tags = [.. track.Tags, .. missing] };
    }
}
