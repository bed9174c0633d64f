using System.Collections.Concurrent;

namespace SpotMirror.Chat;

/// <summary>
/// A token bucket per user. A user over the limit is told once, politely, and then not answered
/// until the bucket refills: a flood of commands gets one sentence, not a flood of replies.
/// Hand-written rather than System.Threading.RateLimiting: its limiters refill on a real timer (no
/// TimeProvider), so the tests could no longer drive them on a fake clock, and it has no "warned once" state.
/// </summary>
public sealed class RateLimiter(ChatOptions options, TimeProvider clock)
{
    private sealed class Bucket
    {
        public double Tokens;
        public DateTimeOffset Updated;
        public bool Warned;
    }

    public enum Verdict
    {
        Allowed,
        LimitedWarn,
        LimitedSilent,
    }

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public (Verdict Verdict, TimeSpan RetryAfter) Check(string userKey)
    {
        var now = clock.GetUtcNow();
        var bucket = _buckets.GetOrAdd(userKey, _ => new Bucket { Tokens = options.RateLimitBurst, Updated = now });
        lock (bucket)
        {
            var refill = (now - bucket.Updated).TotalSeconds / options.RateLimitRefillSeconds;
            bucket.Tokens = Math.Min(options.RateLimitBurst, bucket.Tokens + Math.Max(0, refill));
            bucket.Updated = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                bucket.Warned = false;
                return (Verdict.Allowed, TimeSpan.Zero);
            }
            var retry = TimeSpan.FromSeconds(Math.Ceiling((1 - bucket.Tokens) * options.RateLimitRefillSeconds));
            if (bucket.Warned) return (Verdict.LimitedSilent, retry);
            bucket.Warned = true;
            return (Verdict.LimitedWarn, retry);
        }
    }
}
