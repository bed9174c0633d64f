using System.Text.Json;
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

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToPayload() => JsonSerializer.Serialize(this, Json);

    public static DiscordOutgoing? FromPayload(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<DiscordOutgoing>(payload, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Wakes the Discord sender when replies are queued.</summary>
public sealed class DiscordSignal : IDisposable
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
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
