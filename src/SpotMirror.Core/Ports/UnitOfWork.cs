namespace SpotMirror.Core.Ports;

/// <summary>
/// One open transaction, handed explicitly to every store write that belongs in it (a store method that takes
/// one joins it; one that does not runs alone). What must change in memory waits for the commit that makes it
/// true: register it with <see cref="OnCommitted"/>.
/// </summary>
public interface IUnitOfWork
{
    /// <summary>Runs once the transaction has committed, in the order registered; never when it rolls back.</summary>
    void OnCommitted(Action action);

    /// <summary>
    /// Runs work as one step of the transaction: when work throws, its writes and the OnCommitted actions it
    /// registered are taken back, everything before it stays, and the exception goes on to the caller.
    /// </summary>
    Task<T> StepAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}

/// <summary>Opens units of work: one writer at a time, all or nothing.</summary>
public interface ITransactions
{
    /// <summary>
    /// Runs work in a new unit of work and commits it when work returns (rolls it back when work throws), then
    /// runs its OnCommitted actions. Units do not nest: a write inside one must join it.
    /// </summary>
    Task<T> RunAsync<T>(Func<IUnitOfWork, CancellationToken, Task<T>> work, CancellationToken cancellationToken);
}
