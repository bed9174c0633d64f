namespace SpotMirror.LastFm;

/// <summary>
/// The client-side rate limit, shared by every Last.fm call in the process: each request takes the next
/// free slot, slots a fixed interval apart. Also counts calls, cache hits and retries for the sync report.
/// Hand-written rather than System.Threading.RateLimiting: its limiters take no TimeProvider, and the
/// pacer's tests step a fake clock.
/// </summary>
public sealed class RequestPacer(LastFmOptions options, TimeProvider clock)
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1 / options.RequestsPerSecond);
    private readonly Lock _gate = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;
    private long _calls;
    private long _cacheHits;
    private long _retries;

    /// <summary>Requests sent to Last.fm (retries included).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Answers served from the response cache instead.</summary>
    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Completes when this request may go; at once when the last one left at least an interval ago.</summary>
    public Task WaitTurnAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + _interval;
            wait = slot - now;
        }
        Interlocked.Increment(ref _calls);
        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, clock, cancellationToken);
    }

    internal void CountCacheHit() => Interlocked.Increment(ref _cacheHits);

    internal void CountRetry() => Interlocked.Increment(ref _retries);
}
