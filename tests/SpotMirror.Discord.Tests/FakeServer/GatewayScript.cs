using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.FakeServer;

/// <summary>
/// A hand-written gateway client for testing the fake: it sends exactly what a test tells it to
/// and reports every frame, so each protocol step is visible in the test.
/// </summary>
internal sealed class GatewayScript : IAsyncDisposable
{
    public const int Intents = 9217;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly ClientWebSocket _socket = new();

    private GatewayScript()
    {
    }

    /// <summary>Frames the last received message arrived in.</summary>
    public int LastFrameCount { get; private set; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public static async Task<GatewayScript> ConnectAsync(string url, string query = "?v=10&encoding=json")
    {
        var script = new GatewayScript();
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            await script._socket.ConnectAsync(new Uri(url + query), timeout.Token);
            return script;
        }
        catch
        {
            await script.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects to the initial URL, identifies, and reads Hello, READY and GUILD_CREATE.</summary>
    public static async Task<(GatewayScript Client, JsonObject Ready)> IdentifiedAsync(FakeDiscordServer fake)
    {
        var client = await ConnectAsync(fake.GatewayUrl);
        try
        {
            await client.ReceiveAsync();
            await client.SendAsync(Identify(fake.Token));
            var ready = await client.ReceiveAsync();
            await client.ReceiveAsync();
            return (client, ready);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static JsonObject Identify(string token, long intents = Intents) => new()
    {
        ["op"] = 2,
        ["d"] = new JsonObject
        {
            ["token"] = token,
            ["intents"] = intents,
            ["properties"] = new JsonObject { ["os"] = "linux", ["browser"] = "spotmirror-test", ["device"] = "spotmirror-test" },
        },
    };

    public static JsonObject Resume(string token, string sessionId, long seq) => new()
    {
        ["op"] = 6,
        ["d"] = new JsonObject { ["token"] = token, ["session_id"] = sessionId, ["seq"] = seq },
    };

    public static JsonObject Heartbeat(long? seq) => new() { ["op"] = 1, ["d"] = seq };

    public Task SendAsync(JsonObject payload) => SendTextAsync(payload.ToJsonString());

    public async Task SendTextAsync(string text)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public async Task<JsonObject> ReceiveAsync() =>
        JsonNode.Parse(await ReceiveTextAsync())?.AsObject() ?? throw new InvalidOperationException("Received JSON null.");

    /// <summary>The next whole text message; throws when a close frame comes instead.</summary>
    public async Task<string> ReceiveTextAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        var frames = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The fake closed the connection: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }

            frames++;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                LastFrameCount = frames;
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>Reads until the fake's close frame; returns its code.</summary>
    public async Task<int?> ReceiveCloseAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await _socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                return (int?)result.CloseStatus;
            }
        }
    }

    /// <summary>True when the connection ends without a close frame.</summary>
    public async Task<bool> DroppedAsync()
    {
        try
        {
            await ReceiveTextAsync();
            return false;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }

    public async Task CloseAsync(int code)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _socket.CloseOutputAsync((WebSocketCloseStatus)code, "test", timeout.Token);
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
