using SpotMirror.Chat;

namespace SpotMirror.Telegram;

/// <summary>What the outbox keeps for one Telegram reply: where it goes, what it answers, and the reply itself.</summary>
public sealed record OutgoingReply(long ChatId, int? ReplyToMessageId, Reply Reply)
{
    public string ToPayload() => OutboxPayload.Write(this);

    public static OutgoingReply? FromPayload(string payload) => OutboxPayload.Read<OutgoingReply>(payload);
}
