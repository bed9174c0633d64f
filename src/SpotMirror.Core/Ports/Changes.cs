using SpotMirror.Core.Preferences;

namespace SpotMirror.Core.Ports;

/// <summary>What a committed change touched, for the workers that mirror it in memory.</summary>
public enum ChangeKind
{
    /// <summary>Preference cells, as committed (a cell with score 0 and no dislikes is gone).</summary>
    Preferences,

    /// <summary>A person forgotten: their row of the matrix goes.</summary>
    Forget,

    /// <summary>Tracks added to or updated in the catalogue.</summary>
    Catalogue,

    /// <summary>A learned model published by the worker that fitted it: the others load it.</summary>
    Model,
}

/// <summary>
/// One change in commit order: the id only grows, and no lower id commits after a higher one. Local: this
/// process wrote it (and applied it to its own memory when it committed).
/// </summary>
public sealed record Change(long Id, ChangeKind Kind, long? UserId, IReadOnlyList<PreferenceEntry> Entries, bool Local = false);

/// <summary>
/// The change feed several workers on one database follow: each change is written by the store in the
/// transaction that makes it, and every worker applies the changes after the last id it has seen.
/// </summary>
public interface IChangeFeed
{
    /// <summary>The id of the newest committed change (0 when there is none).</summary>
    Task<long> LastIdAsync(CancellationToken cancellationToken);

    /// <summary>Up to max changes after the given id, in id order.</summary>
    Task<IReadOnlyList<Change>> AfterAsync(long id, int max, CancellationToken cancellationToken);

    /// <summary>Returns when a change may have been committed, or at the latest after max (a missed wake-up costs one poll).</summary>
    Task WaitAsync(TimeSpan max, CancellationToken cancellationToken);

    /// <summary>Deletes the changes committed before the given time; returns how many went.</summary>
    Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
