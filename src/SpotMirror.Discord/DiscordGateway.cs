using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SpotMirror.Chat;
using SpotMirror.Core;
using SpotMirror.Core.Service;

namespace SpotMirror.Discord;

/// <summary>
/// Where a gateway session stands: enough to resume it, on this process or the next. The bot's user and
/// application ids ride along because a resumed session gets no READY to learn them from, and without the
/// user id the bot's own replayed seed reactions would count as somebody's taste.
/// </summary>
public sealed record GatewaySession(string SessionId, string ResumeUrl, long Sequence)
{
    public string? BotUserId { get; init; }

    public string? ApplicationId { get; init; }
}

/// <summary>One dispatch (op 0): its event name, sequence number and data.</summary>
public sealed record GatewayDispatch(string Type, long Sequence, JsonNode? Data);

/// <summary>The gateway closed with a code that no reconnect can fix (bad token, intents, shard); the adapter stops.</summary>
public sealed class DiscordFatalException(int closeCode, string reason) : Exception($"Discord closed the gateway with {closeCode}: {reason}")
{
    public int CloseCode { get; } = closeCode;

    /// <summary>Discord's reason and the setting that fixes it.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// A Discord Gateway v10 client (protocols.md 1): Hello, heartbeats with a jittered first beat, ACK
/// tracking and zombie detection, Identify with only the intents the bot needs, Resume after a drop, op 7
/// and op 9 handled, every close code sorted into resume, identify or fatal, exponential backoff with
/// jitter between attempts, the identify budget of session_start_limit and this shard's turn in its
/// max_concurrency bucket respected, one writer for outgoing
/// frames, and messages reassembled across frames. Dispatches go into a channel the adapter reads; the
/// receive loop never waits on the adapter, so heartbeats are acknowledged while it works.
/// </summary>
/// <remarks>
/// The reconnect loop stays hand-written rather than a Polly pipeline: what to do next is decided by the
/// protocol (a close code, op 7, op 9's own 1-5 s wait, the identify budget), not by a failure count alone.
/// </remarks>
public sealed partial class DiscordGateway : IDisposable
{
    /// <summary>GUILDS | GUILD_MESSAGE_REACTIONS | DIRECT_MESSAGE_REACTIONS; no privileged intent.</summary>
    public const int Intents = 1 | (1 << 10) | (1 << 13);

    /// <summary>1, 2, 4 ... up to 60 s between failed connections, with jitter (protocols.md 1.5).</summary>
    private static readonly Backoff Reconnect = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

    private readonly DiscordApi _api;
    private readonly DiscordOptions _options;
    private readonly SecretRedactor _redactor;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Channel<GatewayDispatch> _dispatches = Channel.CreateBounded<GatewayDispatch>(new BoundedChannelOptions(10_000) { SingleWriter = true });
    private readonly SemaphoreSlim _writer = new(1, 1);
    private string? _initialUrl;
    private DateTimeOffset _lastIdentify = DateTimeOffset.MinValue;
    private long _lastSequence;
    private int _connections;

    public DiscordGateway(DiscordApi api, DiscordOptions options, TimeProvider clock, ILogger<DiscordGateway> logger)
    {
        _api = api;
        _options = options;
        _redactor = new SecretRedactor(options.Token);
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The session as last seen on the wire (the adapter commits its own copy with the effects).</summary>
    public GatewaySession? Session { get; private set; }

    public string? BotUserId { get; private set; }

    /// <summary>Connected from READY or RESUMED until that socket ends (what /health/ready asks of a Discord bot).</summary>
    public ConnectionState Connection { get; } = new("discord");

    public string? ApplicationId { get; private set; }

    /// <summary>GET /gateway/bot's recommended shard count, once asked (0 before): what a 4011 asks Discord:ShardCount to reach.</summary>
    public int RecommendedShards { get; private set; }

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
        BotUserId ??= resumeFrom?.BotUserId;
        ApplicationId ??= resumeFrom?.ApplicationId;
        var failures = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var outcome = await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
                failures = outcome.Healthy ? 0 : failures + 1;
                var wait = outcome.Wait > TimeSpan.Zero ? outcome.Wait : failures > 0 ? Reconnect.Delay(failures) : TimeSpan.Zero;
                LogReconnecting(_logger, _redactor.Redact(outcome.Why), Session is null ? "identify" : "resume", wait.TotalSeconds);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _dispatches.Writer.TryComplete();
        }
    }

    public void Dispose() => _writer.Dispose();

    private readonly record struct Outcome(string Why, bool Healthy, TimeSpan Wait);

    /// <summary>One connection's state: its socket, its lifetime, its heartbeat and whether it reached READY or RESUMED.</summary>
    private sealed class Link(ClientWebSocket socket, bool resuming, CancellationToken stopping) : IDisposable
    {
        public ClientWebSocket Socket { get; } = socket;
        public bool Resuming { get; } = resuming;
        public CancellationTokenSource Lifetime { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        public CancellationToken Token => Lifetime.Token;
        public bool Acked { get; set; } = true;
        public bool Healthy { get; set; }
        public Task? Beats { get; set; }

        public void Dispose() => Lifetime.Dispose();
    }

    /// <summary>One connection from open to close; says why it ended and how long to wait before the next.</summary>
    private async Task<Outcome> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        var resuming = Session is not null;
        if (Interlocked.Increment(ref _connections) > 1) Telemetry.GatewayReconnected(resuming);
        var (url, unreachable) = await UrlAsync(resuming, cancellationToken).ConfigureAwait(false);
        if (url is null) return unreachable;

        using var link = new Link(new ClientWebSocket(), resuming, cancellationToken);
        using var socket = link.Socket;
        if (await OpenAsync(link, url, cancellationToken).ConfigureAwait(false) is { } refused) return refused;
        try
        {
            return await ListenAsync(link).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The heartbeat loop cancelled the connection: a zombie.
            await GatewayWire.CloseQuietlyAsync(socket, "zombie connection").ConfigureAwait(false);
            return new Outcome("no heartbeat ACK (zombie connection)", link.Healthy, TimeSpan.Zero);
        }
        catch (WebSocketException exception)
        {
            return new Outcome($"connection dropped ({exception.Message})", link.Healthy, TimeSpan.Zero);
        }
        finally
        {
            Connection.MarkDisconnected("the gateway connection ended; reconnecting");
            await EndAsync(link, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Where to connect: the session's resume URL, or (after the identify budget says yes) the gateway URL.</summary>
    private async Task<(string? Url, Outcome Failed)> UrlAsync(bool resuming, CancellationToken cancellationToken)
    {
        try
        {
            if (resuming) return (Session!.ResumeUrl, default);
            var url = await InitialUrlAsync(cancellationToken).ConfigureAwait(false);
            await WaitForIdentifyBudgetAsync(cancellationToken).ConfigureAwait(false);
            return (url, default);
        }
        catch (DiscordRestException exception) when ((int)exception.Status == 401)
        {
            throw new DiscordFatalException(4004, "The token was refused. Check Discord:Token.");
        }
        catch (Exception exception) when (exception is DiscordRestException or HttpRequestException or InvalidDataException)
        {
            return (null, new Outcome($"GET /gateway/bot failed: {exception.Message}", false, TimeSpan.Zero));
        }
    }

    private async Task<Outcome?> OpenAsync(Link link, string url, CancellationToken cancellationToken)
    {
        try
        {
            await link.Socket.ConnectAsync(GatewayWire.WithQuery(url), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception exception) when (exception is WebSocketException or HttpRequestException or UriFormatException)
        {
            if (!link.Resuming) _initialUrl = null; // ask Discord again next time
            return new Outcome($"could not connect ({exception.Message})", false, TimeSpan.Zero);
        }
    }

    /// <summary>Reads frames until one of them, the close, or a silent heartbeat ends the connection.</summary>
    private async Task<Outcome> ListenAsync(Link link)
    {
        while (!link.Token.IsCancellationRequested)
        {
            var frame = await GatewayWire.ReceiveAsync(link.Socket, link.Token).ConfigureAwait(false);
            if (frame is null) return Closed(link);
            if (Parse(frame) is { } message && await OnFrameAsync(link, message).ConfigureAwait(false) is { } ended) return ended;
            if (link.Beats is { IsCompleted: true })
            {
                // The heartbeat loop ended: no ACK since the last beat, so this connection is a zombie.
                await GatewayWire.CloseQuietlyAsync(link.Socket, "zombie connection").ConfigureAwait(false);
                return new Outcome("no heartbeat ACK (zombie connection)", link.Healthy, TimeSpan.Zero);
            }
        }
        return new Outcome("stopping", true, TimeSpan.Zero);
    }

    /// <summary>One frame by its opcode; an outcome when the frame ends the connection.</summary>
    private async Task<Outcome?> OnFrameAsync(Link link, JsonObject message)
    {
        var op = (int?)message["op"];
        switch ((GatewayOpcode?)op)
        {
            case GatewayOpcode.Hello:
                var interval = TimeSpan.FromMilliseconds((double?)message["d"]?["heartbeat_interval"] ?? 41_250);
                link.Beats = BeatAsync(link, interval);
                await SendAsync(link.Socket, link.Resuming ? GatewayWire.Resume(_options.Token, Session!) : GatewayWire.Identify(_options, Intents), link.Token).ConfigureAwait(false);
                if (!link.Resuming) _lastIdentify = _clock.GetUtcNow();
                return null;
            case GatewayOpcode.HeartbeatAck:
                link.Acked = true;
                return null;
            case GatewayOpcode.Heartbeat:
                // Discord asks for a beat now.
                await SendAsync(link.Socket, GatewayWire.Heartbeat(_lastSequence), link.Token).ConfigureAwait(false);
                return null;
            case GatewayOpcode.Reconnect:
                await GatewayWire.CloseQuietlyAsync(link.Socket, "reconnect requested").ConfigureAwait(false);
                return new Outcome("Discord asked for a reconnect (op 7)", true, TimeSpan.Zero);
            case GatewayOpcode.InvalidSession:
                var resumable = (bool?)message["d"] ?? false;
                if (!resumable) Session = null;
                await GatewayWire.CloseQuietlyAsync(link.Socket, "invalid session").ConfigureAwait(false);
                // A new session waits a random 1-5 s, which also keeps identifies inside Discord's limits.
                return new Outcome($"invalid session (op 9, resumable: {resumable})", true,
                    resumable ? TimeSpan.Zero : TimeSpan.FromSeconds(1 + (Random.Shared.NextDouble() * 4)));
            case GatewayOpcode.Dispatch:
                if (await OnDispatchAsync(message, link.Token).ConfigureAwait(false))
                {
                    link.Healthy = true;
                    Connection.MarkConnected();
                }
                return null;
            default:
                LogOddFrame(_logger, $"op {op?.ToString() ?? "missing"}");
                return null;
        }
    }

    /// <summary>Stops the heartbeat; on shutdown closes with a code that keeps the session resumable for the next process.</summary>
    private static async Task EndAsync(Link link, CancellationToken cancellationToken)
    {
        await link.Lifetime.CancelAsync().ConfigureAwait(false);
        if (link.Beats is not null)
        {
            try
            {
                await link.Beats.ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                // The connection is over; so is its heartbeat.
            }
        }
        if (cancellationToken.IsCancellationRequested) await GatewayWire.CloseQuietlyAsync(link.Socket, "restarting").ConfigureAwait(false);
    }

    /// <summary>The close code decides: resume, identify afresh, or stop for good.</summary>
    private Outcome Closed(Link link)
    {
        var code = (int?)link.Socket.CloseStatus ?? 0;
        var reason = link.Socket.CloseStatusDescription ?? "";
        var action = GatewayCloseCodes.ActionFor(code);
        if (action == GatewayCloseAction.Fatal) throw new DiscordFatalException(code, _redactor.Redact(GatewayCloseCodes.Explain(code, reason, _options, RecommendedShards)));
        if (action == GatewayCloseAction.Identify) Session = null;
        return new Outcome(GatewayCloseCodes.IsKnown(code) ? $"closed with {code} ({reason})" : $"closed ({code} {reason})", link.Healthy, TimeSpan.Zero);
    }

    /// <summary>The first beat after interval × jitter, then one per interval; a beat with no ACK since the last one ends the connection.</summary>
    private async Task BeatAsync(Link link, TimeSpan interval)
    {
        var wait = interval * Random.Shared.NextDouble();
        while (!link.Token.IsCancellationRequested)
        {
            await Task.Delay(wait, _clock, link.Token).ConfigureAwait(false);
            wait = interval;
            if (!link.Acked)
            {
                LogZombie(_logger);
                await link.Lifetime.CancelAsync().ConfigureAwait(false);
                return;
            }
            link.Acked = false;
            await SendAsync(link.Socket, GatewayWire.Heartbeat(_lastSequence), link.Token).ConfigureAwait(false);
        }
    }
}
