using SpotMirror.Chat;

namespace SpotMirror.Discord;

/// <summary>
/// What the outbox keeps for one Discord reply. Kind "interaction" edits the deferred answer of an
/// interaction (its token is good for 15 minutes); kind "channel" posts a new message (a lobby's
/// playlist made by the timer, with no interaction to answer).
/// </summary>
public sealed record DiscordOutgoing(string Kind, string ApplicationId, string Token, string ChannelId, Reply Reply, DateTimeOffset InteractionAt)
{
    public const string Interaction = "interaction";
    public const string Channel = "channel";

    public string ToPayload() => OutboxPayload.Write(this);

    public static DiscordOutgoing? FromPayload(string payload) => OutboxPayload.Read<DiscordOutgoing>(payload);
}
