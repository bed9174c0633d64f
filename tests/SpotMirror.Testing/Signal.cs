namespace SpotMirror.Testing;

/// <summary>
/// A pulse that wakes everyone waiting on it, then re-arms. A waiter takes <see cref="Next"/>
/// before looking at the state it cares about, so a pulse between the look and the wait is never lost.
/// </summary>
internal sealed class Signal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _pulse = NewPulse();

    public Task Next
    {
        get
        {
            lock (_gate)
            {
                return _pulse.Task;
            }
        }
    }

    public void Pulse()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _pulse;
            _pulse = NewPulse();
        }

        fired.TrySetResult();
    }

    /// <summary>Waits until <paramref name="probe"/> reports done, re-checking on every pulse.</summary>
    public async Task<T> WaitUntilAsync<T>(Func<(bool Done, T Value)> probe, TimeSpan timeout, Func<string> describeFailure)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var changed = Next;
            var (done, value) = probe();
            if (done)
            {
                return value;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                var (lastDone, lastValue) = probe();
                return lastDone ? lastValue : throw new TimeoutException(describeFailure());
            }
        }
    }

    // Continuations run asynchronously so a pulse never runs a waiter's code on the pulsing thread.
    private static TaskCompletionSource NewPulse() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
