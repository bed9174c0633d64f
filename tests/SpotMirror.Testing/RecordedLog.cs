namespace SpotMirror.Testing;

/// <summary>An append-only, thread-safe list that tests can wait on.</summary>
internal sealed class RecordedLog<T>
{
    private readonly Lock _gate = new();
    private readonly List<T> _items = [];
    private readonly Signal _added = new();

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
        }

        _added.Pulse();
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    public Task<T> WaitForAsync(Func<T, bool> predicate, TimeSpan timeout, Func<IReadOnlyList<T>, string> describeFailure) =>
        _added.WaitUntilAsync(
            () =>
            {
                foreach (var item in Snapshot())
                {
                    if (predicate(item))
                    {
                        return (true, item);
                    }
                }

                return (false, default!);
            },
            timeout,
            () => describeFailure(Snapshot()));

    public Task<IReadOnlyList<T>> WaitForCountAsync(int count, TimeSpan timeout, Func<IReadOnlyList<T>, string> describeFailure) =>
        _added.WaitUntilAsync(
            () =>
            {
                var items = Snapshot();
                return (items.Count >= count, items);
            },
            timeout,
            () => describeFailure(Snapshot()));
}
