using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;

namespace SpotMirror.UseCases;

/// <summary>
/// /link over any metadata provider that knows people's taste: the account's top and loved tracks become
/// imported preferences (weights in <see cref="LinkOptions"/>), stored apart from the preference table.
/// Tracks the catalogue lacks are added (untagged until a sync meets them), so the import counts at once:
/// the in-memory catalogue and matrix follow when the caller's unit of work commits, never before.
/// </summary>
public sealed partial class AccountLinker(
    IEnumerable<IMetadataProvider> providers,
    ICatalogStore catalog,
    ILinkStore links,
    Recommender recommender,
    LinkOptions options,
    TimeProvider clock,
    ILogger<AccountLinker> logger,
    IEnumerable<IAuthorizedTasteProvider>? authorized = null,
    IAuthorizationStore? authorizations = null) : IAccountLinker
{
    private readonly List<IMetadataProvider> _providers =
        providers.Where(p => p.Capabilities.HasFlag(MetadataCapabilities.UserTaste)).ToList();
    private readonly List<LinkableService> _throughWeb =
        (authorized ?? []).Where(p => p.Configured).Select(p => new LinkableService(p.Name, p.DisplayName) { ThroughWeb = true }).ToList();
    private readonly Lock _publishGate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Provider, string Account), Fetched> _fetched = new();

    /// <summary>What a prefetch brought back: the lists, or the failure to report.</summary>
    private sealed record Fetched(DateTimeOffset At, IReadOnlyList<ProviderTrack> Top, IReadOnlyList<ProviderTrack> Loved, MetadataException? Failure);

    /// <summary>A prefetch is used within this long; after that LinkAsync asks again.</summary>
    private static readonly TimeSpan FetchedFor = TimeSpan.FromMinutes(5);

    public async Task PrefetchAsync(string service, string account, CancellationToken cancellationToken)
    {
        if (Find(service) is not { } provider) return;
        _fetched[(provider.Name, account.ToLowerInvariant())] = await FetchAsync(provider, account, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Fetched> FetchAsync(IMetadataProvider provider, string account, CancellationToken cancellationToken)
    {
        try
        {
            var top = await provider.UserTopTracksAsync(account, options.TopTracks, cancellationToken).ConfigureAwait(false);
            var loved = await provider.UserLovedTracksAsync(account, options.LovedTracks, cancellationToken).ConfigureAwait(false);
            return new Fetched(clock.GetUtcNow(), top, loved, null);
        }
        catch (MetadataException exception)
        {
            return new Fetched(clock.GetUtcNow(), [], [], exception);
        }
    }

    public IReadOnlyList<LinkableService> Services => [.. _providers.Select(ServiceOf), .. _throughWeb];

    public async Task<LinkResult> LinkAsync(IUnitOfWork unit, long userId, string service, string account, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var provider = Find(service);
        if (provider is null) return new LinkResult(LinkStatus.UnknownService, null, account);
        var described = ServiceOf(provider);

        var fetched = _fetched.TryRemove((provider.Name, account.ToLowerInvariant()), out var early) && clock.GetUtcNow() - early.At < FetchedFor
            ? early
            : await FetchAsync(provider, account, cancellationToken).ConfigureAwait(false);
        if (fetched.Failure is { } exception)
        {
            var status = exception.Failure switch
            {
                MetadataFailure.NotFound => LinkStatus.AccountNotFound,
                MetadataFailure.NotConfigured or MetadataFailure.InvalidCredentials => LinkStatus.NotConfigured,
                _ => LinkStatus.Unavailable,
            };
            // Set-up and spelling problems are the person's to read; only a misbehaving provider is worth a log line.
            if (status == LinkStatus.Unavailable) LogLinkFailed(logger, provider.Name, exception.Failure);
            return new LinkResult(status, described, account, Detail: exception.Message);
        }
        return await ImportAsync(unit, userId, described, account, fetched.Top, fetched.Loved, at, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Imports lists a person's account gave (however they were fetched: by account name, or with the person's
    /// own authorization) as that service's link, replacing its previous import. What /link lastfm does after
    /// its fetch, and what the web app's Spotify authorization does after its own.
    /// </summary>
    public async Task<LinkResult> ImportAsync(
        IUnitOfWork unit, long userId, LinkableService described, string account, IReadOnlyList<ProviderTrack> top, IReadOnlyList<ProviderTrack> loved,
        DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(described);
        ArgumentNullException.ThrowIfNull(top);
        ArgumentNullException.ThrowIfNull(loved);
        if (top.Count == 0 && loved.Count == 0) return new LinkResult(LinkStatus.NothingToImport, described, account);

        // One weight per track: a top track and a loved track that are the same track add up.
        var weighted = new Dictionary<string, (ProviderTrack Track, double Score)>(StringComparer.Ordinal);
        foreach (var (tracks, weight) in new[] { (top, options.TopWeight), (loved, options.LovedWeight) })
        {
            foreach (var track in tracks)
            {
                var key = track.ProviderId ?? $"{Text.Normalize(track.Artist)}|{Text.Normalize(track.Title)}";
                weighted[key] = weighted.TryGetValue(key, out var seen) ? (seen.Track, seen.Score + weight) : (track, weight);
            }
        }
        var picked = weighted.Values.ToList();
        // A person's own play counts are not the track's, so the catalogue gets names and ids only.
        var (result, ids) = await catalog.UpsertAsync(unit, picked.Select(p => p.Track.ToInput()).ToList(), cancellationToken).ConfigureAwait(false);
        var scores = ids.Zip(picked)
            .Where(x => x.First is not null)
            .GroupBy(x => x.First!.Value)
            .Select(g => (TrackId: g.Key, Score: Math.Min(g.Sum(x => x.Second.Score), options.TopWeight + options.LovedWeight)))
            .ToList();
        var entries = await links.ReplaceAsync(unit, userId, described.Id, account, scores, at, cancellationToken).ConfigureAwait(false);
        unit.OnCommitted(() =>
        {
            if (result.Added > 0) PublishAdded(picked.Select(p => p.Track).ToList(), ids);
            recommender.Preferences.Set(entries);
        });
        LogLinked(logger, described.Id, scores.Count, result.Added);
        return new LinkResult(LinkStatus.Linked, described, account, top.Count, loved.Count, scores.Count);
    }

    public async Task<IReadOnlyList<LinkedAccount>> UnlinkAsync(IUnitOfWork unit, long userId, string? service, DateTimeOffset at, CancellationToken cancellationToken)
    {
        string? name = null;
        if (service is not null)
        {
            var found = Find(service)?.Name ?? _throughWeb.FirstOrDefault(s => s.IsNamed(service))?.Id;
            if (found is null) return [];
            name = found;
        }
        var (removed, entries) = await links.RemoveAsync(unit, userId, name, at, cancellationToken).ConfigureAwait(false);
        // The tokens go with the link, in the same unit of work: an unlinked account leaves nothing to act with.
        if (authorizations is not null) await authorizations.DeleteTokensAsync(unit, userId, name, cancellationToken).ConfigureAwait(false);
        unit.OnCommitted(() => recommender.Preferences.Set(entries));
        return removed.Select(l => new LinkedAccount(DescribeStored(l.Service), l.Account, l.Imported, l.LinkedAt)).ToList();
    }

    /// <summary>The provider a person means (see <see cref="LinkableService.IsNamed"/>).</summary>
    private IMetadataProvider? Find(string service) => _providers.FirstOrDefault(p => ServiceOf(p).IsNamed(service));

    private static LinkableService ServiceOf(IMetadataProvider provider) => new(provider.Name, provider.DisplayName);

    private LinkableService DescribeStored(string name) =>
        _providers.FirstOrDefault(p => p.Name == name) is { } provider ? ServiceOf(provider)
            : _throughWeb.FirstOrDefault(s => s.Id == name) ?? new LinkableService(name, name);

    /// <summary>
    /// A new catalogue snapshot: the current one plus the tracks just added (committed now), built in memory
    /// rather than reloaded. Added tracks take the next ids, so the order matches a later load.
    /// </summary>
    private void PublishAdded(IReadOnlyList<ProviderTrack> tracks, IReadOnlyList<long?> ids)
    {
        lock (_publishGate)
        {
            var current = recommender.Catalog;
            var all = Enumerable.Range(0, current.Count).Select(i => current[i]).ToList();
            var known = all.Select(t => t.Id).ToHashSet();
            foreach (var (track, id) in tracks.Zip(ids))
            {
                if (id is { } trackId && known.Add(trackId)) all.Add(new Track(trackId, track.Title, track.Artist, null, track.Tags,
                    SpotifyId: track.Provider == "spotify" ? track.ProviderId : null));
            }
            recommender.Publish(CatalogIndex.Build(all.OrderBy(t => t.Id), current.Lexicon, current.Moods));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Linked a {Provider} account: {Imported} preferences imported, {Added} tracks added to the catalogue")]
    private static partial void LogLinked(ILogger logger, string provider, int imported, int added);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linking a {Provider} account failed: {Failure}")]
    private static partial void LogLinkFailed(ILogger logger, string provider, MetadataFailure failure);
}
