using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace SpotMirror.Discord;

/// <summary>The gateway's frames and the socket chores around them: nothing here keeps state.</summary>
internal static class GatewayWire
{
    public static JsonObject Identify(DiscordOptions options, int intents) => new()
    {
        ["op"] = (int)GatewayOpcode.Identify,
        ["d"] = new JsonObject
        {
            ["token"] = options.Token,
            ["intents"] = intents,
            ["properties"] = new JsonObject { ["os"] = Environment.OSVersion.Platform.ToString().ToLowerInvariant(), ["browser"] = "spotmirror", ["device"] = "spotmirror" },
            ["shard"] = new JsonArray(options.ShardId, options.ShardCount),
        },
    };

    public static JsonObject Resume(string? token, GatewaySession session) => new()
    {
        ["op"] = (int)GatewayOpcode.Resume,
        ["d"] = new JsonObject { ["token"] = token, ["session_id"] = session.SessionId, ["seq"] = session.Sequence },
    };

    public static JsonObject Heartbeat(long lastSequence) => new() { ["op"] = (int)GatewayOpcode.Heartbeat, ["d"] = lastSequence == 0 ? null : lastSequence };

    public static Uri WithQuery(string url) =>
        new(url.TrimEnd('/') + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "v=10&encoding=json");

    /// <summary>A whole message, however many frames it came in; null when the server closed.</summary>
    public static async Task<byte[]?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Advance(result.Count);
            if (result.EndOfMessage) return buffer.WrittenSpan.ToArray();
        }
    }

    public static async Task CloseQuietlyAsync(ClientWebSocket socket, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync((WebSocketCloseStatus)GatewayCloseCodes.KeepSession, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone: nothing to close.
        }
    }
}
