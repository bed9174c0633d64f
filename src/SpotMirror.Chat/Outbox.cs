using System.Text.Json;
using Microsoft.Extensions.Logging;
using SpotMirror.Core.Ports;

namespace SpotMirror.Chat;

/// <summary>Wakes an adapter's sender when replies are queued, so they go at once rather than at its next look.</summary>
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

/// <summary>How adapters keep a queued reply (with the Reply inside) as outbox payload text.</summary>
public static class OutboxPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Write<T>(T payload) => JsonSerializer.Serialize(payload, Json);

    /// <summary>The payload, or null when it cannot be read (it is then set aside, never retried).</summary>
    public static T? Read<T>(string payload) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payload, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>How the adapters' senders keep their outbox claims: renewed before they could run out, given up on a stop.</summary>
public static partial class OutboxClaims
{
    /// <summary>A stop waits this long at most to release the claims; they then just run out.</summary>
    private static readonly TimeSpan ReleasePatience = TimeSpan.FromSeconds(2);

    /// <summary>
    /// True once a third of the claim time has passed since the claim: the pass should claim again (which renews
    /// what it still holds) before going on, so no reply is sent while its claim could already have passed on.
    /// </summary>
    public static bool Renew(IOutbox outbox, TimeSpan sinceClaim) => sinceClaim > outbox.ClaimTime / 3;

    /// <summary>Gives up this worker's claims on the platform's pending replies; bounded, and never failing a stop.</summary>
    public static async Task ReleaseAsync(IOutbox outbox, string platform, ILogger logger)
    {
        try
        {
            using var patience = new CancellationTokenSource(ReleasePatience);
            await outbox.ReleaseAsync(platform, patience.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A stop goes on whatever the release met; the claims then just run out.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogReleaseFailed(logger, platform, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform}: could not give up this worker's outbox claims ({Reason}); other workers send those replies once the claims run out")]
    private static partial void LogReleaseFailed(ILogger logger, string platform, string reason);
}
