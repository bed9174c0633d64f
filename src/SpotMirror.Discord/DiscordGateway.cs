using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Discord;

/// <summary>Where a gateway session stands: enough to resume it, on this process or the next.</summary>
public sealed record GatewaySession(string SessionId, string ResumeUrl, long Sequence);

/// <summary>One dispatch (op 0): its event name, sequence number and data.</summary>
public sealed record GatewayDispatch(string Type, long Sequence, JsonNode? Data);

/// <summary>The gateway closed with a code that no reconnect can fix (bad token, intents, shard); the adapter stops.</summary>
public sealed class DiscordFatalException(int closeCode, string reason) : Exception($"Discord closed the gateway with {closeCode}: {reason}")
{
    public int CloseCode { get; } = closeCode;
}

/// <summary>
/// A Discord Gateway v10 client (protocols.md 1): Hello, heartbeats with a jittered first beat, ACK
/// tracking and zombie detection, Identify with only the intents the bot needs, Resume after a drop, op 7
/// and op 9 handled, every close code sorted into resume, identify or fatal, exponential backoff with
/// jitter between attempts, the identify budget of session_start_limit respected, one writer for outgoing
/// frames, and messages reassembled across frames. Dispatches go into a channel the adapter reads; the
/// receive loop never waits on the adapter, so heartbeats are acknowledged while it works.
/// </summary>
public sealed partial class DiscordGateway : IDisposable
{
    /// <summary>GUILDS | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGE_REACTIONS; no privileged intent.</summary>
    public const int Intents = 1 | (1 << 10) | (1 << 13);

    private static readonly int[] ResumeCodes = [4000, 4001, 4002, 4003, 4005, 4008];
    private static readonly int[] IdentifyCodes = [4007, 4009];
    private static readonly int[] FatalCodes = [4004, 4010, 4011, 4012, 4013, 4014];
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private readonly DiscordApi _api;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<GatewayDispatch> _dispatches = Channel.CreateBounded<GatewayDispatch>(new BoundedChannelOptions(10_000) { SingleWriter = true });
    private readonly SemaphoreSlim _writer = new(1, 1);
    private string? _initialUrl;
    private DateTimeOffset _lastIdentify = DateTimeOffset.MinValue;
    private long _lastSequence;

    public DiscordGateway(DiscordApi api, DiscordOptions options, TimeProvider clock, ILogger<DiscordGateway> logger)
    {
        _api = api;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The session as last seen on the wire (the adapter commits its own copy with the effects).</summary>
    public GatewaySession? Session { get; private set; }

    public string? BotUserId { get; private set; }

    public string? ApplicationId { get; private set; }

    /// <summary>Dispatches in order, READY and RESUMED included.</summary>
    public ChannelReader<GatewayDispatch> Dispatches => _dispatches.Reader;

    /// <summary>
    /// Connects and stays connected until cancelled or a fatal close. A session given here (the committed
    /// one of a previous process) is resumed, so Discord replays whatever that process did not commit.
    /// </summary>
    public async Task RunAsync(GatewaySession? resumeFrom, CancellationToken cancellationToken)
    {
        Session = resumeFrom;
        _lastSequence = resumeFrom?.Sequence ?? 0;
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var outcome = await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
                failures = outcome.Healthy ? 0 : failures + 1;
                if (outcome.Wait > TimeSpan.Zero || failures > 0)
                {
                    var wait = outcome.Wait > TimeSpan.Zero ? outcome.Wait : Backoff(failures);
                    LogReconnecting(_logger, outcome.Why, Session is null ? "identify" : "resume", wait.TotalSeconds);
                    await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    LogReconnecting(_logger, outcome.Why, Session is null ? "identify" : "resume", 0);
                }
            }
        }
        finally
        {
            _dispatches.Writer.TryComplete();
        }
    }

    private readonly record struct Outcome(string Why, bool Healthy, TimeSpan Wait);

    /// <summary>One connection from open to close; says why it ended and how long to wait before the next.</summary>
    private async Task<Outcome> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var resuming = Session is not null;
        string url;
        try
        {
            url = resuming ? Session!.ResumeUrl : await InitialUrlAsync(cancellationToken).ConfigureAwait(false);
            if (!resuming) await WaitForIdentifyBudgetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DiscordRestException exception) when ((int)exception.Status == 401)
        {
            throw new DiscordFatalException(4004, "the token was refused");
        }
        catch (Exception exception) when (exception is DiscordRestException or HttpRequestException or InvalidDataException)
        {
            return new Outcome($"GET /gateway/bot failed: {exception.Message}", false, TimeSpan.Zero);
        }

        using var socket = new ClientWebSocket();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await socket.ConnectAsync(new Uri(WithQuery(url)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or HttpRequestException or UriFormatException)
        {
            if (!resuming) _initialUrl = null; // ask Discord again next time
            return new Outcome($"could not connect ({exception.Message})", false, TimeSpan.Zero);
        }

        var healthy = false;
        var acked = true;
        Task? heartbeats = null;
        try
        {
            while (!connection.IsCancellationRequested)
            {
                var frame = await ReceiveAsync(socket, connection.Token).ConfigureAwait(false);
                if (frame is null) return Closed(socket, healthy);
                if (Parse(frame) is not { } message) continue;
                var op = (int?)message["op"];
                switch (op)
                {
                    case 10:
                        var interval = TimeSpan.FromMilliseconds((double?)message["d"]?["heartbeat_interval"] ?? 41_250);
                        heartbeats = BeatAsync(socket, interval, () => acked, v => acked = v, connection);
                        await SendAsync(socket, resuming ? ResumeFrame() : IdentifyFrame(), connection.Token).ConfigureAwait(false);
                        if (!resuming) _lastIdentify = _clock.GetUtcNow();
                        break;
                    case 11:
                        acked = true;
                        break;
                    case 1:
                        // Discord asks for a beat now.
                        await SendAsync(socket, HeartbeatFrame(), connection.Token).ConfigureAwait(false);
                        break;
                    case 7:
                        await CloseQuietlyAsync(socket, 4000, "reconnect requested").ConfigureAwait(false);
                        return new Outcome("Discord asked for a reconnect (op 7)", true, TimeSpan.Zero);
                    case 9:
                        var resumable = (bool?)message["d"] ?? false;
                        if (!resumable) Session = null;
                        await CloseQuietlyAsync(socket, 4000, "invalid session").ConfigureAwait(false);
                        // A new session waits a random 1-5 s, which also keeps identifies inside Discord's limits.
                        return new Outcome($"invalid session (op 9, resumable: {resumable})", true,
                            resumable ? TimeSpan.Zero : TimeSpan.FromSeconds(1 + (Random.Shared.NextDouble() * 4)));
                    case 0:
                        healthy |= await OnDispatchAsync(message, connection.Token).ConfigureAwait(false);
                        break;
                    default:
                        LogOddFrame(_logger, $"op {op?.ToString() ?? "missing"}");
                        break;
                }
                if (heartbeats is { IsCompleted: true })
                {
                    // The heartbeat loop ended: no ACK since the last beat, so this connection is a zombie.
                    await CloseQuietlyAsync(socket, 4000, "zombie connection").ConfigureAwait(false);
                    return new Outcome("no heartbeat ACK (zombie connection)", healthy, TimeSpan.Zero);
                }
            }
            return new Outcome("stopping", true, TimeSpan.Zero);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The heartbeat loop cancelled the connection: a zombie.
            await CloseQuietlyAsync(socket, 4000, "zombie connection").ConfigureAwait(false);
            return new Outcome("no heartbeat ACK (zombie connection)", healthy, TimeSpan.Zero);
        }
        catch (WebSocketException exception)
        {
            return new Outcome($"connection dropped ({exception.Message})", healthy, TimeSpan.Zero);
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            if (heartbeats is not null)
            {
                try
                {
                    await heartbeats.ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
                {
                    // The connection is over; so is its heartbeat.
                }
            }
            // Not 1000: that would end the session, and the next process could not resume it (Discord replays
            // what happened in between only to a resume). 4000 keeps it resumable for a few minutes.
            if (cancellationToken.IsCancellationRequested) await CloseQuietlyAsync(socket, 4000, "restarting").ConfigureAwait(false);
        }
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>The close code decides: resume, identify afresh, or stop for good.</summary>
    private Outcome Closed(ClientWebSocket socket, bool healthy)
    {
        var code = (int?)socket.CloseStatus ?? 0;
        var reason = socket.CloseStatusDescription ?? "";
        if (FatalCodes.Contains(code)) throw new DiscordFatalException(code, reason);
        if (IdentifyCodes.Contains(code)) Session = null;
        var known = ResumeCodes.Contains(code) || IdentifyCodes.Contains(code);
        return new Outcome(known ? $"closed with {code} ({reason})" : $"closed ({code} {reason})", healthy, TimeSpan.Zero);
    }

    /// <summary>Tracks the sequence and the session; READY and RESUMED mark a healthy connection.</summary>
    private async Task<bool> OnDispatchAsync(JsonObject message, CancellationToken cancellationToken)
    {
        var type = (string?)message["t"];
        var sequence = (long?)message["s"];
        if (type is null || sequence is null)
        {
            LogOddFrame(_logger, "a dispatch without t or s");
            return false;
        }
        _lastSequence = Math.Max(_lastSequence, sequence.Value);
        var data = message["d"];
        var healthy = false;
        if (type == "READY")
        {
            var sessionId = (string?)data?["session_id"];
            var resumeUrl = (string?)data?["resume_gateway_url"];
            BotUserId = (string?)data?["user"]?["id"];
            ApplicationId = (string?)data?["application"]?["id"];
            if (sessionId is null || resumeUrl is null || BotUserId is null || ApplicationId is null)
            {
                LogOddFrame(_logger, "READY without session, resume URL, user or application");
                return false;
            }
            Session = new GatewaySession(sessionId, resumeUrl, sequence.Value);
            LogReady(_logger, BotUserId, ApplicationId);
            healthy = true;
        }
        else if (type == "RESUMED")
        {
            LogResumed(_logger, _lastSequence);
            healthy = true;
        }
        if (Session is { } session) Session = session with { Sequence = _lastSequence };
        await _dispatches.Writer.WriteAsync(new GatewayDispatch(type, sequence.Value, data), cancellationToken).ConfigureAwait(false);
        return healthy;
    }

    /// <summary>The first beat after interval × jitter, then one per interval; a beat with no ACK since the last one ends the connection.</summary>
    private async Task BeatAsync(ClientWebSocket socket, TimeSpan interval, Func<bool> acked, Action<bool> setAcked, CancellationTokenSource connection)
    {
        var wait = interval * Random.Shared.NextDouble();
        while (!connection.IsCancellationRequested)
        {
            await Task.Delay(wait, _clock, connection.Token).ConfigureAwait(false);
            wait = interval;
            if (!acked())
            {
                LogZombie(_logger);
                await connection.CancelAsync().ConfigureAwait(false);
                return;
            }
            setAcked(false);
            await SendAsync(socket, HeartbeatFrame(), connection.Token).ConfigureAwait(false);
        }
    }

    private async Task<string> InitialUrlAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.GatewayUrl)) return _options.GatewayUrl!;
        if (_initialUrl is not null) return _initialUrl;
        var info = await _api.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
        _initialUrl = info.Url;
        return info.Url;
    }

    /// <summary>
    /// Never a crash loop of identifies: when today's session starts are spent, wait for the reset (Discord
    /// resets the token when the 1000 a day run out), and keep 5 s between identifies (max_concurrency 1).
    /// </summary>
    private async Task WaitForIdentifyBudgetAsync(CancellationToken cancellationToken)
    {
        var since = _clock.GetUtcNow() - _lastIdentify;
        if (since < TimeSpan.FromSeconds(5)) await Task.Delay(TimeSpan.FromSeconds(5) - since, _clock, cancellationToken).ConfigureAwait(false);
        var info = await _api.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
        _initialUrl ??= info.Url;
        if (info.Remaining <= 0)
        {
            LogBudgetSpent(_logger, info.Total, info.ResetAfter.TotalMinutes);
            await Task.Delay(info.ResetAfter, _clock, cancellationToken).ConfigureAwait(false);
        }
        else if (info.Remaining < info.Total / 10)
        {
            LogBudgetLow(_logger, info.Remaining, info.Total);
        }
    }

    /// <summary>One writer: ClientWebSocket allows one send in flight, and heartbeats race the rest.</summary>
    private async Task SendAsync(ClientWebSocket socket, JsonObject frame, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>A whole message, however many frames it came in; null when the server closed.</summary>
    private static async Task<byte[]?> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
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

    private JsonObject? Parse(byte[] frame)
    {
        try
        {
            return JsonNode.Parse(frame) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException exception)
        {
            LogOddFrame(_logger, $"unreadable JSON ({exception.Message})");
            return null;
        }
    }

    private JsonObject IdentifyFrame() => new()
    {
        ["op"] = 2,
        ["d"] = new JsonObject
        {
            ["token"] = _options.Token,
            ["intents"] = Intents,
            ["properties"] = new JsonObject { ["os"] = Environment.OSVersion.Platform.ToString().ToLowerInvariant(), ["browser"] = "spotmirror", ["device"] = "spotmirror" },
            ["shard"] = new JsonArray(_options.ShardId, _options.ShardCount),
        },
    };

    private JsonObject ResumeFrame() => new()
    {
        ["op"] = 6,
        ["d"] = new JsonObject { ["token"] = _options.Token, ["session_id"] = Session!.SessionId, ["seq"] = Session.Sequence },
    };

    private JsonObject HeartbeatFrame() => new() { ["op"] = 1, ["d"] = _lastSequence == 0 ? null : _lastSequence };

    private static string WithQuery(string url) => url.TrimEnd('/') + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "v=10&encoding=json";

    private static async Task CloseQuietlyAsync(ClientWebSocket socket, int code, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone: nothing to close.
        }
    }

    /// <summary>1, 2, 4 ... up to 60 s, plus or minus a quarter second (protocols.md 1.5).</summary>
    private static TimeSpan Backoff(int failures)
    {
        var seconds = Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures - 1, 6)));
        return TimeSpan.FromSeconds(Math.Max(0.1, seconds + ((Random.Shared.NextDouble() - 0.5) * 0.5)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: ready as user {BotUserId} (application {ApplicationId})")]
    private static partial void LogReady(ILogger logger, string botUserId, string applicationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: session resumed at sequence {Sequence}")]
    private static partial void LogResumed(ILogger logger, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: connection ended: {Why}; will {Next} in {Seconds:F1} s")]
    private static partial void LogReconnecting(ILogger logger, string why, string next, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: no heartbeat ACK since the last beat; reconnecting")]
    private static partial void LogZombie(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: ignored a gateway frame: {What}")]
    private static partial void LogOddFrame(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: all {Total} session starts for today are spent; waiting {Minutes:F0} min for the reset rather than risk the token")]
    private static partial void LogBudgetSpent(ILogger logger, int total, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: only {Remaining} of {Total} session starts left today")]
    private static partial void LogBudgetLow(ILogger logger, int remaining, int total);
}
