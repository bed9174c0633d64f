using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// Serves <c>/gw</c> and <c>/gw-resume</c>: Hello on accept, then reads the client's payloads and
/// answers heartbeats, Identify and Resume the way Discord's gateway does.
/// </summary>
internal sealed class GatewayEndpoint(FakeDiscordOptions options, GatewayHub hub, DiscordRecorder recorder, GatewayPayloads payloads)
{
    // Discord closes connections whose payloads exceed 4096 bytes.
    private const int MaxPayloadBytes = 4096;

    /// <summary>The resume URL READY announces, set once Kestrel has a port.</summary>
    public string ResumeUrl { get; set; } = string.Empty;

    public async Task HandleAsync(HttpContext context, bool onResumeUrl, CancellationToken stopping)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("The gateway speaks WebSocket only.", stopping).ConfigureAwait(false);
            return;
        }

        using var webSocket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        using var socket = new GatewaySocket(hub.NextConnectionId(), onResumeUrl, webSocket, context, stopping);
        recorder.Connections.Add(new GatewayConnection(socket.Id, context.Request.Path.Value ?? string.Empty, context.Request.QueryString.Value ?? string.Empty, Now));
        hub.Opened(socket);
        var writer = socket.RunWriterAsync(stopping);
        try
        {
            Greet(socket, context.Request.Query);
            await ReadAsync(socket, webSocket).ConfigureAwait(false);
        }
        finally
        {
            hub.Closed(socket);
            socket.Complete();
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The fake is stopping.
            }
        }
    }

    private DateTimeOffset Now => options.Clock.GetUtcNow();

    private void Greet(GatewaySocket socket, IQueryCollection query)
    {
        if (query["v"] != "10")
        {
            Close(socket, 4012, "Invalid API version.");
        }
        else if (query["encoding"] != "json" || query.ContainsKey("compress"))
        {
            Close(socket, 4002, "The fake speaks only ?v=10&encoding=json, uncompressed.");
        }
        else if (hub.TakeFault<GatewayFault.BeforeHello>() is not null)
        {
            _ = socket.Send(GatewayHub.Frame(7, null));
        }
        else
        {
            _ = socket.Send(GatewayHub.Frame(10, payloads.Hello()));
        }
    }

    private async Task ReadAsync(GatewaySocket socket, WebSocket webSocket)
    {
        var buffer = new byte[MaxPayloadBytes];
        var message = new ArrayBufferWriter<byte>();
        var oversized = false;
        try
        {
            while (true)
            {
                var result = await webSocket.ReceiveAsync(buffer.AsMemory(), socket.ReceiveToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.CloseQueued)
                    {
                        return;
                    }

                    var code = (int?)webSocket.CloseStatus;

                    // Before the record, so a test that saw it finds the session already ended.
                    hub.Detach(socket, invalidate: code is 1000 or 1001);
                    recorder.Closes.Add(new GatewayClose(socket.Id, GatewayCloseInitiator.Client, code, webSocket.CloseStatusDescription, Now));

                    // Echo the client's code; the codes that may not appear in a close frame become 1000.
                    await socket.Close(code is null or 1005 or 1006 or 1015 ? 1000 : code.Value, string.Empty).ConfigureAwait(false);
                    return;
                }

                oversized |= message.WrittenCount + result.Count > MaxPayloadBytes;
                if (!oversized)
                {
                    message.Write(buffer.AsSpan(0, result.Count));
                }

                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (socket.CloseQueued)
                {
                    // Waiting for the client's close frame; anything else is ignored.
                }
                else if (oversized)
                {
                    Close(socket, 4002, "Payload over 4096 bytes.");
                }
                else
                {
                    Handle(socket, result.MessageType, message.WrittenSpan);
                }

                message.ResetWrittenCount();
                oversized = false;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            if (!socket.Aborted && !socket.CloseQueued)
            {
                hub.Detach(socket, invalidate: false);
                recorder.Closes.Add(new GatewayClose(socket.Id, GatewayCloseInitiator.Client, null, "connection dropped without a close frame", Now));
            }
        }
    }

    private void Handle(GatewaySocket socket, WebSocketMessageType type, ReadOnlySpan<byte> bytes)
    {
        if (type != WebSocketMessageType.Text)
        {
            Close(socket, 4002, "Send JSON as text frames.");
            return;
        }

        if (!socket.WithinSendLimit())
        {
            Close(socket, 4008, "Rate limited.");
            return;
        }

        if (!DiscordJson.TryParse(Encoding.UTF8.GetString(bytes), out var node) || node is not JsonObject payload
            || DiscordJson.Integer(payload["op"]) is not { } op)
        {
            Close(socket, 4002, "Error while decoding payload.");
            return;
        }

        var data = payload["d"];
        switch (op)
        {
            case 1:
                Heartbeat(socket, data);
                break;
            case 2:
                Identify(socket, data as JsonObject);
                break;
            case 6:
                Resume(socket, data as JsonObject);
                break;
            case 3 or 4 or 8 or 31:
                if (!socket.Authenticated)
                {
                    Close(socket, 4003, "Not authenticated.");
                }

                break;
            default:
                Close(socket, 4001, "Unknown opcode.");
                break;
        }
    }

    private void Heartbeat(GatewaySocket socket, JsonNode? data)
    {
        if (data is not null && DiscordJson.Integer(data) is null)
        {
            Close(socket, 4002, "A heartbeat's d is the last sequence number or null.");
            return;
        }

        var acknowledged = socket.AcknowledgesHeartbeats;
        recorder.Heartbeats.Add(new GatewayHeartbeat(socket.Id, DiscordJson.Integer(data), hub.LastSentOf(socket), acknowledged, Now));
        if (acknowledged)
        {
            _ = socket.Send(GatewayHub.Frame(11, null));
        }
    }

    private void Identify(GatewaySocket socket, JsonObject? data)
    {
        var tokenValid = data is not null && DiscordJson.String(data, "token") == options.Token;
        var intents = data is null ? null : DiscordJson.Integer(data["intents"]);
        var properties = data?["properties"] as JsonObject;
        var (code, reason) = IdentifyRules.Refusal(socket, data, tokenValid, intents, options);
        var shard = IdentifyRules.ShardOf(data);
        string outcome;
        string? sessionId = null;
        if (code is { } refused)
        {
            // Recorded before the close goes out: a test that saw the close reads the identify at once.
            recorder.Identifies.Add(new GatewayIdentify(socket.Id, tokenValid, intents, (JsonObject?)properties?.DeepClone(), null, $"close {refused.ToString(System.Globalization.CultureInfo.InvariantCulture)}", Now) { Shard = shard });
            Close(socket, refused, reason!);
            return;
        }

        if (socket.OnResumeUrl)
        {
            // The project's rule: identify on the initial URL; the resume URL is for resuming.
            outcome = InvalidSession(socket, resumable: false) + " (identify on the resume URL)";
        }
        else if (hub.TakeFault<GatewayFault.OnIdentify>() is { } fault)
        {
            outcome = InvalidSession(socket, fault.Resumable);
        }
        else if (!hub.TrySpendSessionStart())
        {
            outcome = Close(socket, 4004, "Authentication failed (session start limit exhausted; the token is reset).");
        }
        else
        {
            socket.Authenticated = true;
            sessionId = hub.StartSession(socket, shard.Id, shard.Count, session => payloads.Opening(session, ResumeUrl, data!["shard"])).Id;
            outcome = "ready";
        }

        recorder.Identifies.Add(new GatewayIdentify(socket.Id, tokenValid, intents, (JsonObject?)properties?.DeepClone(), sessionId, outcome, Now) { Shard = shard });
    }

    private void Resume(GatewaySocket socket, JsonObject? data)
    {
        var tokenValid = data is not null && DiscordJson.String(data, "token") == options.Token;
        var sessionId = data is null ? null : DiscordJson.String(data, "session_id");
        var sequence = data is null ? null : DiscordJson.Integer(data["seq"]);
        var replayed = 0;
        string outcome;
        if (socket.Authenticated)
        {
            outcome = Close(socket, 4005, "Already authenticated.");
        }
        else if (!tokenValid)
        {
            outcome = Close(socket, 4004, "Authentication failed.");
        }
        else if (sessionId is null || sequence is null)
        {
            outcome = Close(socket, 4002, "Resume needs token, session_id and seq.");
        }
        else if (!socket.OnResumeUrl)
        {
            outcome = InvalidSession(socket, resumable: false) + " (resume on the initial URL, not resume_gateway_url)";
        }
        else if (hub.TakeFault<GatewayFault.OnResume>() is { } fault)
        {
            outcome = InvalidSession(socket, fault.Resumable, sessionId);
        }
        else
        {
            outcome = hub.Resume(socket, sessionId, sequence.Value, out replayed) switch
            {
                GatewayHub.ResumeOutcome.Resumed => "resumed",
                GatewayHub.ResumeOutcome.InvalidSequence => Close(socket, 4007, "Invalid seq."),
                _ => InvalidSession(socket, resumable: false),
            };
            socket.Authenticated = outcome == "resumed";
        }

        recorder.Resumes.Add(new GatewayResume(socket.Id, sessionId, sequence, tokenValid, replayed, outcome, Now));
    }

    private string InvalidSession(GatewaySocket socket, bool resumable, string? sessionId = null)
    {
        _ = hub.SendInvalidSession(socket, resumable, sessionId);
        return resumable ? "op 9 true" : "op 9 false";
    }

    private string Close(GatewaySocket socket, int code, string reason)
    {
        _ = hub.CloseFromServer(socket, code, reason);
        return "close " + code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
