using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// One accepted gateway WebSocket. Every send goes through one queue and one writer, so frames
/// leave in the order they were queued and never two at once.
/// </summary>
internal sealed class GatewaySocket : IDisposable
{
    // How long the fake waits for the client's close frame after sending its own.
    private static readonly TimeSpan CloseHandshakeWait = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly HttpContext _context;
    private readonly Channel<Outgoing> _outbox = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _receiving;
    private readonly Queue<long> _recentEvents = new();
    private int _closeQueued;
    private int _aborted;

    public GatewaySocket(int id, bool onResumeUrl, WebSocket socket, HttpContext context, CancellationToken stopping)
    {
        Id = id;
        OnResumeUrl = onResumeUrl;
        _socket = socket;
        _context = context;
        _receiving = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    public int Id { get; }

    /// <summary>Connected to the resume URL rather than the one /gateway/bot gave.</summary>
    public bool OnResumeUrl { get; }

    /// <summary>Identified or resumed; set by the reader only.</summary>
    public bool Authenticated { get; set; }

    /// <summary>False once a test made this connection a zombie.</summary>
    public bool AcknowledgesHeartbeats { get; set; } = true;

    /// <summary>Cancelled when the fake stops, or when the client has not answered a close frame in time.</summary>
    public CancellationToken ReceiveToken => _receiving.Token;

    public bool CloseQueued => Volatile.Read(ref _closeQueued) == 1;

    public bool Aborted => Volatile.Read(ref _aborted) == 1;

    /// <summary>Queues a text message, split across <paramref name="parts"/> frames when asked.</summary>
    /// <param name="sent">Runs once the message is on the wire.</param>
    public Task Send(string text, int parts = 1, Action? sent = null) => Queue(new Outgoing.Text(text, parts, sent));

    /// <summary>Queues a close frame; later sends are dropped. The first close wins.</summary>
    public Task Close(int code, string reason)
    {
        Interlocked.Exchange(ref _closeQueued, 1);
        return Queue(new Outgoing.Close(code, reason));
    }

    /// <summary>Aborts the connection without a close frame, after what is already queued.</summary>
    public Task Abort() => Queue(new Outgoing.Abort());

    /// <summary>Counts a client payload; true while the client stays within 120 per 60 s (real time).</summary>
    public bool WithinSendLimit()
    {
        var now = Environment.TickCount64;
        _recentEvents.Enqueue(now);
        while (_recentEvents.Count > 0 && now - _recentEvents.Peek() > 60_000)
        {
            _recentEvents.Dequeue();
        }

        return _recentEvents.Count <= 120;
    }

    public void Complete() => _outbox.Writer.TryComplete();

    public async Task RunWriterAsync(CancellationToken ct)
    {
        await foreach (var item in _outbox.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            try
            {
                await WriteAsync(item, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                // The peer is gone; what was queued can no longer be delivered.
            }
            finally
            {
                item.Done.TrySetResult();
            }
        }
    }

    public void Dispose() => _receiving.Dispose();

    private async Task WriteAsync(Outgoing item, CancellationToken ct)
    {
        if (Aborted)
        {
            return;
        }

        switch (item)
        {
            case Outgoing.Text text when _socket.State == WebSocketState.Open:
                var pieces = Split(text.Json, text.Parts);
                for (var i = 0; i < pieces.Count; i++)
                {
                    await _socket.SendAsync(Encoding.UTF8.GetBytes(pieces[i]), WebSocketMessageType.Text, i == pieces.Count - 1, ct).ConfigureAwait(false);
                }

                text.Sent?.Invoke();
                break;
            case Outgoing.Close close when _socket.State is WebSocketState.Open or WebSocketState.CloseReceived:
                await _socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, close.Reason, ct).ConfigureAwait(false);
                _receiving.CancelAfter(CloseHandshakeWait);
                break;
            case Outgoing.Abort:
                Interlocked.Exchange(ref _aborted, 1);
                _socket.Abort();
                _context.Abort();
                break;
        }
    }

    // Splits on character boundaries so each frame's bytes stay valid UTF-8 on their own.
    private static List<string> Split(string text, int parts)
    {
        var pieces = new List<string>();
        var size = Math.Max(1, (int)Math.Ceiling(text.Length / (double)Math.Max(1, parts)));
        for (var start = 0; start < text.Length;)
        {
            var end = Math.Min(text.Length, start + size);
            if (end < text.Length && char.IsHighSurrogate(text[end - 1]))
            {
                end++;
            }

            pieces.Add(text[start..end]);
            start = end;
        }

        return pieces;
    }

    private Task Queue(Outgoing item)
    {
        if (!_outbox.Writer.TryWrite(item))
        {
            item.Done.TrySetResult();
        }

        return item.Done.Task;
    }

    private abstract record Outgoing
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public sealed record Text(string Json, int Parts, Action? Sent) : Outgoing;

        public sealed record Close(int Code, string Reason) : Outgoing;

        public sealed record Abort : Outgoing;
    }
}
