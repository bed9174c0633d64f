using System.Collections.Concurrent;

namespace SpotMirror.Chat;

/// <summary>The last few tracks each user was shown, so asking again brings new ones. Memory only: a restart forgets it.</summary>
public sealed class RecentlyShown(int window)
{
    private readonly ConcurrentDictionary<long, Queue<long>> _shown = new();

    public IReadOnlySet<long> Of(long userId)
    {
        if (!_shown.TryGetValue(userId, out var queue)) return new HashSet<long>();
        lock (queue) return queue.ToHashSet();
    }

    public void Add(long userId, IEnumerable<long> trackIds)
    {
        var queue = _shown.GetOrAdd(userId, _ => new Queue<long>());
        lock (queue)
        {
            foreach (var id in trackIds)
            {
                queue.Enqueue(id);
                while (queue.Count > window) queue.Dequeue();
            }
        }
    }

    public void Forget(long userId) => _shown.TryRemove(userId, out _);
}
