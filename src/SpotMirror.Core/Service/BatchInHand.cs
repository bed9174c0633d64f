namespace SpotMirror.Core.Service;

/// <summary>
/// The token for the batch in hand when a stop is asked for (SIGTERM): it stays uncancelled for a few
/// seconds after the service's own token, so the events already received are committed with their
/// checkpoint instead of being rolled back, and is cancelled after that, so a batch stuck on a locked
/// database still cannot hold the process past its 10 s.
/// </summary>
public sealed class BatchInHand : IDisposable
{
    /// <summary>Inside the host's shutdown budget (7 s), which is inside the 10 s a supervisor waits before SIGKILL.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _source = new();
    private readonly CancellationTokenRegistration _stopping;

    public BatchInHand(CancellationToken stopping)
    {
        _stopping = stopping.Register(() => _source.CancelAfter(Grace));
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        // The registration first: disposing it waits for a running callback, which must not meet a disposed source.
        _stopping.Dispose();
        _source.Dispose();
    }
}
