namespace SpotMirror.Testing;

/// <summary>
/// Waits for something a separate process commits a moment after a fake has seen it (a ledger row, a
/// preference), by looking again every 50 ms until it holds or the patience runs out. Used where no
/// signal reaches the test: the effect lives in another process's database writes.
/// </summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan patience, Func<T, string> describe)
    {
        using var timeout = new CancellationTokenSource(patience);
        while (true)
        {
            var value = await probe();
            if (done(value)) return value;
            try
            {
                await Task.Delay(50, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(describe(value));
            }
        }
    }
}
