namespace SpotMirror.Testing.Discord;

/// <summary>How the fake Discord behaves; the defaults suit most tests.</summary>
public sealed record FakeDiscordOptions
{
    /// <summary>The bot token: REST wants <c>Authorization: Bot {Token}</c>, Identify and Resume the raw token.</summary>
    public string Token { get; init; } = "FAKE-discord-bot-token.x1.y2";

    /// <summary>READY <c>user.id</c>: the author of the bot's messages and the user of its own reactions.</summary>
    public string BotUserId { get; init; } = "1300000000000000001";

    public string BotUsername { get; init; } = "SpotMirror";

    /// <summary>READY <c>application.id</c>; deliberately not the bot's user id, so routes built from the wrong one fail.</summary>
    public string ApplicationId { get; init; } = "1300000000000000777";

    /// <summary>The guild READY lists and GUILD_CREATE describes; scripted guild interactions happen here.</summary>
    public string GuildId { get; init; } = "1300000000000000100";

    public string GuildChannelId { get; init; } = "1300000000000000200";

    /// <summary>The DM channel between the default user and the bot.</summary>
    public string DmChannelId { get; init; } = "1300000000000000300";

    /// <summary>The user who runs scripted commands, clicks buttons and reacts unless a place says otherwise.</summary>
    public string UserId { get; init; } = "1300000000000000042";

    public string Username { get; init; } = "listener";

    /// <summary>
    /// Guilds besides the default one, each with one text channel. With several shards each guild's events go
    /// only to the shard that owns it, <c>(guild_id &gt;&gt; 22) % num_shards</c>, as on Discord.
    /// </summary>
    public IReadOnlyList<FakeGuild> OtherGuilds { get; init; } = [];

    /// <summary>GET /gateway/bot's <c>shards</c>: an Identify with fewer shards than this is closed with 4011 (sharding required).</summary>
    public int RequiredShards { get; init; } = 1;

    /// <summary><c>session_start_limit.max_concurrency</c>: how many identify buckets (shard_id % max_concurrency) start in parallel.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>Hello's <c>heartbeat_interval</c>.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The only intents Identify may carry (GUILDS | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGE_REACTIONS);
    /// anything else valid is closed with 4013 too, which is stricter than Discord. Null accepts any valid, unprivileged set.
    /// </summary>
    public int? ExpectedIntents { get; init; } = 9217;

    /// <summary><c>session_start_limit.remaining</c> at start; each Identify spends one, and at zero Identify fails with 4004.</summary>
    public int SessionStartsRemaining { get; init; } = 999;

    /// <summary>Requests each bucket (route and major parameter) allows per <see cref="RateLimitWindow"/> before a 429.</summary>
    public int RateLimitPerBucket { get; init; } = 50;

    /// <summary>Measured on <see cref="Clock"/>: with a manual clock, an exhausted bucket refills only when the test advances it.</summary>
    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after its dispatch an interaction may be acknowledged.</summary>
    public TimeSpan InteractionResponseWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long an interaction token works for webhook edits and follow-ups.</summary>
    public TimeSpan InteractionTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Custom emoji the bot may react with, written "name:id".</summary>
    public IReadOnlyList<string> CustomEmoji { get; init; } = [];

    /// <summary>
    /// Stamps records, measures the interaction windows and rate-limit buckets. Socket timeouts (the
    /// wait for a client's close frame) use real time.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

/// <summary>A guild of the fake beyond the default one, with the text channel scripted events in it use.</summary>
public sealed record FakeGuild(string Id, string ChannelId);
