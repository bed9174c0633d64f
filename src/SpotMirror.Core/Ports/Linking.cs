using SpotMirror.Core.Preferences;

namespace SpotMirror.Core.Ports;

/// <summary>An account linked with /link as stored: the service's short name, the account, when, and how many preferences it imported.</summary>
public sealed record StoredLink(string Service, string Account, int Imported, DateTimeOffset LinkedAt);

/// <summary>
/// Linked accounts and the preferences their imports gave, kept apart from the preference table: the
/// in-memory matrix sees the sum of both, and unlinking deletes the import and nothing else.
/// </summary>
public interface ILinkStore
{
    /// <summary>
    /// Links the account and sets its import to exactly these scores (a re-link replaces the last import of that
    /// service), in the unit of work. Returns the person's current preference, explicit and imported together,
    /// for every track whose imported score changed.
    /// </summary>
    Task<IReadOnlyList<PreferenceEntry>> ReplaceAsync(
        IUnitOfWork unit, long userId, string service, string account, IReadOnlyList<(long TrackId, double Score)> scores, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Unlinks one service (or all when service is null) with what its import gave; returns the links removed and the changed preferences.</summary>
    Task<(IReadOnlyList<StoredLink> Removed, IReadOnlyList<PreferenceEntry> Entries)> RemoveAsync(
        IUnitOfWork unit, long userId, string? service, DateTimeOffset at, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredLink>> LinksAsync(long userId, CancellationToken cancellationToken);
}

/// <summary>One track of a sync's plan: where it stands in the plan, how to look it up, which sync tags listed it, and whether it is done.</summary>
public sealed record SyncItem(int Position, string Artist, string Title, string? ProviderId, IReadOnlyList<string> Tags, string? Outcome)
{
    public bool Done => Outcome is not null;
}

/// <summary>
/// The progress of an unfinished catalogue sync, keyed by what was asked: the plan is stored once, each track
/// is marked done in the unit of work that stores it, and the run is forgotten when it completes.
/// </summary>
public interface ISyncState
{
    /// <summary>The stored plan of an unfinished run of this request, or null when there is none.</summary>
    Task<IReadOnlyList<SyncItem>?> PlanAsync(string runKey, CancellationToken cancellationToken);

    /// <summary>Stores a new run's plan (replacing any half-written one of the same request).</summary>
    Task SavePlanAsync(string runKey, string provider, IReadOnlyList<SyncItem> items, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks one track done, in the unit of work that stored the track, so both happen or neither.</summary>
    Task MarkDoneAsync(IUnitOfWork unit, string runKey, int position, string outcome, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>A completed run is forgotten: the next run of the same request starts afresh.</summary>
    Task FinishAsync(string runKey, CancellationToken cancellationToken);
}
