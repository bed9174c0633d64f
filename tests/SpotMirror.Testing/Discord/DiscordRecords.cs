using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>One REST request as it reached the fake, with the answer it got; the Authorization header is not kept.</summary>
/// <param name="Path">The request target path as sent on the wire, still percent-encoded, without the query.</param>
/// <param name="Route">The matched route template (see <see cref="DiscordRoutes"/>), or null when none matched.</param>
/// <param name="Authorization">"valid", "wrong" or "missing".</param>
public sealed record DiscordRequest(
    string Method,
    string Path,
    string? Route,
    string Query,
    string Body,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    string Authorization,
    int Status,
    DateTimeOffset At);

/// <summary>Where a bot message came from.</summary>
public enum DiscordMessageSource
{
    Channel,
    InteractionResponse,
    Followup,
}

public enum DiscordMessageAction
{
    Created,
    Edited,
    Deleted,
}

/// <summary>A message the bot created, edited or deleted, as the fake stored it.</summary>
/// <param name="InteractionId">The interaction whose token created or edited it, if any.</param>
/// <param name="Message">The whole message object the fake returns for it.</param>
public sealed record SentDiscordMessage(
    string Id,
    string ChannelId,
    string? GuildId,
    DiscordMessageSource Source,
    DiscordMessageAction Action,
    string? InteractionId,
    string Content,
    JsonArray Embeds,
    JsonArray Components,
    int Flags,
    JsonObject Message,
    DateTimeOffset At)
{
    public bool IsEphemeral => (Flags & 64) != 0;

    /// <summary>A deferred response still "thinking".</summary>
    public bool IsLoading => (Flags & 128) != 0;
}

/// <summary>An interaction callback attempt, accepted or not.</summary>
/// <param name="SinceDispatch">Clock time between the INTERACTION_CREATE dispatch and this callback.</param>
/// <param name="ErrorCode">Discord's JSON error code when refused (10062, 40060, 50035...).</param>
public sealed record InteractionCallback(
    string InteractionId,
    int Type,
    JsonObject? Data,
    TimeSpan SinceDispatch,
    int Status,
    int? ErrorCode,
    DateTimeOffset At)
{
    public bool Accepted => Status < 300;
}

/// <summary>An accepted PUT (Added) or DELETE of the bot's own reaction; <paramref name="Emoji"/> is percent-decoded.</summary>
public sealed record BotReaction(string ChannelId, string MessageId, string Emoji, bool Added, DateTimeOffset At);

/// <summary>An accepted bulk overwrite; <paramref name="GuildId"/> is null for global commands.</summary>
/// <param name="Commands">The stored commands as echoed back, ids included.</param>
public sealed record CommandRegistration(string? GuildId, JsonArray Commands, DateTimeOffset At);

/// <summary>A WebSocket connection to the gateway.</summary>
/// <param name="Path">"/gw" or "/gw-resume".</param>
/// <param name="Query">The query string as sent, e.g. "?v=10&amp;encoding=json".</param>
public sealed record GatewayConnection(int Id, string Path, string Query, DateTimeOffset At);

public enum GatewayCloseInitiator
{
    Server,
    Client,
}

/// <summary>How a gateway connection ended; a null <paramref name="Code"/> means no close frame (a drop).</summary>
public sealed record GatewayClose(int ConnectionId, GatewayCloseInitiator By, int? Code, string? Reason, DateTimeOffset At)
{
    public bool Dropped => Code is null;
}

/// <summary>An op 2 Identify; the token itself is not kept.</summary>
/// <param name="SessionId">The session READY started, or null when the identify was refused.</param>
/// <param name="Outcome">"ready", or what the fake answered instead (e.g. "close 4014", "op 9 false").</param>
public sealed record GatewayIdentify(
    int ConnectionId,
    bool TokenValid,
    long? Intents,
    JsonObject? Properties,
    string? SessionId,
    string Outcome,
    DateTimeOffset At)
{
    /// <summary>The identify's <c>shard</c> [id, count]; [0, 1] when it sent none.</summary>
    public (int Id, int Count) Shard { get; init; } = (0, 1);
}

/// <summary>An op 6 Resume and what came of it.</summary>
/// <param name="Replayed">Dispatches replayed before RESUMED.</param>
/// <param name="Outcome">"resumed", "op 9 false", "op 9 true", "close 4004", "close 4007"...</param>
public sealed record GatewayResume(
    int ConnectionId,
    string? SessionId,
    long? Sequence,
    bool TokenValid,
    int Replayed,
    string Outcome,
    DateTimeOffset At)
{
    public bool Accepted => Outcome == "resumed";
}

/// <summary>An op 1 from the client.</summary>
/// <param name="Sequence">The heartbeat's <c>d</c>.</param>
/// <param name="LastSequenceSent">The highest <c>s</c> the fake had written to the client's session by then.</param>
public sealed record GatewayHeartbeat(int ConnectionId, long? Sequence, long? LastSequenceSent, bool Acknowledged, DateTimeOffset At);

/// <summary>A scripted INTERACTION_CREATE: the id and token to answer with, and the payload sent.</summary>
public sealed record ScriptedInteraction(string Id, string Token, int Type, long Sequence, JsonObject Payload);

/// <summary>Where a scripted event happens and who does it; a null <paramref name="GuildId"/> is a DM.</summary>
public sealed record DiscordPlace(string? GuildId, string ChannelId, string UserId, string Username)
{
    public bool IsDm => GuildId is null;
}
