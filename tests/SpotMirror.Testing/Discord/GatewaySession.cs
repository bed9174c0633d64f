namespace SpotMirror.Testing.Discord;

/// <summary>A gateway session: its dispatches in sequence order, kept for replay, and the connection receiving them.</summary>
/// <remarks>Changed only under the hub's lock, except <see cref="MarkSent"/>, which the socket writer calls.</remarks>
internal sealed class GatewaySession(string id, int shardId = 0, int shardCount = 1)
{
    private long _lastSent;

    public string Id { get; } = id;

    public int ShardId { get; } = shardId;

    public int ShardCount { get; } = shardCount;

    /// <summary>Discord's rule: a guild's events go to shard (guild_id &gt;&gt; 22) % num_shards; DMs (no guild) to shard 0.</summary>
    public bool Owns(string? guildId) =>
        (guildId is null ? 0 : FakeDiscordServer.ShardOf(guildId, ShardCount)) == ShardId;

    public List<(long Sequence, string Event, string Data)> Log { get; } = [];

    public long LastSequence { get; set; }

    /// <summary>The highest <c>s</c> written to any of this session's connections.</summary>
    public long LastSent => Volatile.Read(ref _lastSent);

    public GatewaySocket? Attached { get; set; }

    public bool Resumable { get; set; } = true;

    public void MarkSent(long sequence)
    {
        var seen = Volatile.Read(ref _lastSent);
        while (sequence > seen)
        {
            var found = Interlocked.CompareExchange(ref _lastSent, sequence, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }
}
