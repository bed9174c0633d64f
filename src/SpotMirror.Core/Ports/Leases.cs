using SpotMirror.Core.Engines;

namespace SpotMirror.Core.Ports;

/// <summary>
/// Who holds a lease and until when (the database's clock), and its generation: raised each time the lease is
/// taken anew, never by a renewal, so (holder, generation) names one spell of holding it.
/// </summary>
public sealed record Lease(string Name, string Holder, DateTimeOffset ExpiresAt, long Generation)
{
    /// <summary>What a write checks, in its own transaction, to commit only while this spell of holding lasts.</summary>
    public LeaseFence Fence => new(Name, Holder, Generation);
}

/// <summary>A fencing token: one holder's one spell of holding a lease.</summary>
public sealed record LeaseFence(string Name, string Holder, long Generation);

/// <summary>A fenced write found its lease run out or passed on: nothing of it was committed.</summary>
public sealed class LeaseLostException(string message) : Exception(message);

/// <summary>
/// Named leases in the shared database: a job only one worker may do at a time. Times are the database's, so
/// the workers' own clocks never have to agree. A holder that dies just lets its lease run out.
/// </summary>
public interface ILeases
{
    /// <summary>Takes the lease when it is free, expired or already this holder's (then it is renewed); returns who holds it now.</summary>
    Task<Lease> TryAcquireAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Extends the lease if this holder still holds it and it has not run out; false when it was lost.</summary>
    Task<bool> RenewAsync(string name, string holder, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Gives the lease up if this holder holds it, so another worker need not wait for it to run out.</summary>
    Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken);
}

/// <summary>The learned model as the worker holding the fitting lease last published it, for the other workers.</summary>
public interface ILearnedModels
{
    /// <summary>
    /// Replaces the published model with this one (its body written first, where no reader takes it) and, in the
    /// one short transaction that publishes it, adds a Model change to the feed so the other workers load it;
    /// returns the publication's id.
    /// </summary>
    Task<long> PublishAsync(ImplicitAlsModel model, ulong catalogFingerprint, int catalogCount, string publishedBy, CancellationToken cancellationToken);

    /// <summary>The id of the latest publication, 0 when there is none (cheap: no factors are read).</summary>
    Task<long> LatestIdAsync(CancellationToken cancellationToken);

    /// <summary>The latest published model with its id, or null and why not (none, another catalogue, damaged).</summary>
    Task<(long Id, ImplicitAlsModel? Model, string? Refused)> LatestAsync(ulong catalogFingerprint, int catalogCount, CancellationToken cancellationToken);
}
