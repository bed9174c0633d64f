using System.Text.Json;
using SpotMirror.Chat;

namespace SpotMirror.Telegram;

/// <summary>What the outbox keeps for one Telegram reply: where it goes, what it answers, and the reply itself.</summary>
public sealed record OutgoingReply(long ChatId, int? ReplyToMessageId, Reply Reply)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToPayload() => JsonSerializer.Serialize(this, Json);

    public static OutgoingReply? FromPayload(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<OutgoingReply>(payload, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Wakes the sender when the poller has queued replies, so they go at once rather than at the next look.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the sender will look once, and see everything.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
