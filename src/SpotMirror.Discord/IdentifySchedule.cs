namespace SpotMirror.Discord;

/// <summary>
/// When a shard may send Identify. Discord allows one identify per 5 s in each bucket, and a shard's bucket
/// is <c>shard_id % max_concurrency</c>. Shards run in separate processes that share nothing but a clock, so
/// the shards of one bucket take turns by wall time: 5 s windows numbered since the epoch, and shard k
/// identifies only in windows whose number is k / max_concurrency modulo the bucket's size. Two shards of
/// one bucket never identify in the same window while the machines' clocks agree (NTP); should they not,
/// Discord answers the late one with op 9 and it tries again, which costs a few seconds, not the token.
/// </summary>
public sealed record IdentifySchedule(int ShardId, int ShardCount, int MaxConcurrency)
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>The bucket (Discord's rate_limit_key) this shard identifies in.</summary>
    public int Bucket => ShardId % Math.Max(1, MaxConcurrency);

    /// <summary>How many shards share the bucket (the largest bucket's size, so every bucket cycles alike).</summary>
    public int Turns => (ShardCount + Math.Max(1, MaxConcurrency) - 1) / Math.Max(1, MaxConcurrency);

    /// <summary>This shard's turn within its bucket.</summary>
    public int Turn => ShardId / Math.Max(1, MaxConcurrency);

    /// <summary>
    /// The earliest moment at or after <paramref name="now"/> this shard may identify: 5 s after its own last
    /// identify, and, when its bucket holds other shards, at the start of one of its own windows.
    /// </summary>
    public DateTimeOffset Next(DateTimeOffset now, DateTimeOffset lastIdentify)
    {
        var earliest = lastIdentify == DateTimeOffset.MinValue || now - lastIdentify >= Window ? now : lastIdentify + Window;
        if (Turns <= 1) return earliest;
        var ticks = (earliest - DateTimeOffset.UnixEpoch).Ticks;
        var window = ticks / Window.Ticks;
        if (ticks % Window.Ticks != 0) window++; // only at a window's start, so a whole window separates this shard from the one before
        var ahead = ((Turn - (window % Turns)) + Turns) % Turns;
        return DateTimeOffset.UnixEpoch + TimeSpan.FromTicks((window + ahead) * Window.Ticks);
    }
}
