using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// The gateway's shared state: sessions and their dispatch logs, the open connections, and the
/// one-shot faults. Dispatch order on the wire follows sequence order because both are decided
/// under one lock and each connection has a single writer.
/// </summary>
internal sealed class GatewayHub(DiscordRecorder recorder, TimeProvider clock, int sessionStarts)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GatewaySession> _sessions = new(StringComparer.Ordinal);
    private readonly List<GatewaySocket> _open = [];
    private readonly List<GatewayFault> _faults = [];
    private readonly Dictionary<string, Queue<int>> _splits = new(StringComparer.Ordinal);
    private readonly Dictionary<int, GatewaySession> _byShard = [];
    private GatewaySession? _current;
    private int _nextConnectionId;
    private int _sessionStartsRemaining = sessionStarts;

    public enum ResumeOutcome
    {
        Resumed,
        UnknownSession,
        InvalidSequence,
    }

    public int SessionStartsRemaining
    {
        get
        {
            lock (_gate)
            {
                return _sessionStartsRemaining;
            }
        }
    }

    /// <summary>The session started last (of any shard); null before the first identify and once that session ended.</summary>
    public GatewaySession? Current
    {
        get
        {
            lock (_gate)
            {
                return _current is { Resumable: true } ? _current : null;
            }
        }
    }

    public int NextConnectionId() => Interlocked.Increment(ref _nextConnectionId);

    public void Opened(GatewaySocket socket)
    {
        lock (_gate)
        {
            _open.Add(socket);
        }
    }

    /// <summary>The connection ended; its session, if still attached, waits for a resume.</summary>
    public void Closed(GatewaySocket socket)
    {
        lock (_gate)
        {
            _open.Remove(socket);
            DetachLocked(socket, invalidate: false);
        }
    }

    public void AddFault(GatewayFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    public T? TakeFault<T>()
        where T : GatewayFault
    {
        lock (_gate)
        {
            var fault = _faults.OfType<T>().FirstOrDefault();
            if (fault is not null)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    public void SplitNext(string eventName, int parts)
    {
        lock (_gate)
        {
            if (!_splits.TryGetValue(eventName, out var queue))
            {
                queue = new Queue<int>();
                _splits[eventName] = queue;
            }

            queue.Enqueue(parts);
        }
    }

    /// <summary>Spends one session start; false when none are left.</summary>
    public bool TrySpendSessionStart()
    {
        lock (_gate)
        {
            if (_sessionStartsRemaining <= 0)
            {
                return false;
            }

            _sessionStartsRemaining--;
            return true;
        }
    }

    /// <summary>
    /// Starts a session of shard <paramref name="shardId"/> on <paramref name="socket"/>, ending that shard's
    /// previous session: the events (READY first) get sequence 1, 2, ...
    /// </summary>
    public GatewaySession StartSession(GatewaySocket socket, int shardId, int shardCount, Func<GatewaySession, IEnumerable<(string Event, JsonObject Data)>> openingEvents)
    {
        lock (_gate)
        {
            if (_byShard.TryGetValue(shardId, out var previous))
            {
                previous.Resumable = false;
                previous.Attached = null;
            }

            var session = new GatewaySession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), shardId, shardCount);
            _sessions[session.Id] = session;
            _byShard[shardId] = session;
            _current = session;
            session.Attached = socket;
            foreach (var (name, data) in openingEvents(session))
            {
                AppendLocked(session, name, DiscordJson.Write(data));
            }

            return session;
        }
    }

    public ResumeOutcome Resume(GatewaySocket socket, string? sessionId, long sequence, out int replayed)
    {
        replayed = 0;
        lock (_gate)
        {
            if (sessionId is null || !_sessions.TryGetValue(sessionId, out var session) || !session.Resumable)
            {
                return ResumeOutcome.UnknownSession;
            }

            if (sequence > session.LastSequence || sequence < 0)
            {
                session.Resumable = false;
                return ResumeOutcome.InvalidSequence;
            }

            session.Attached = socket;
            foreach (var (seq, name, data) in session.Log.Where(e => e.Sequence > sequence).ToList())
            {
                SendLocked(session, socket, seq, name, data);
                replayed++;
            }

            AppendLocked(session, "RESUMED", "null");
            return ResumeOutcome.Resumed;
        }
    }

    /// <summary>
    /// Appends the event to every live session whose shard owns its guild (DMs: shard 0), as Discord routes
    /// them; the sequence it got there, or null when no such session is live.
    /// </summary>
    public long? TryDispatch(string eventName, JsonObject data)
    {
        var guildId = DiscordJson.String(data, "guild_id");
        var text = DiscordJson.Write(data);
        lock (_gate)
        {
            long? sequence = null;
            foreach (var session in _byShard.Values.Where(s => s.Resumable && s.Owns(guildId)))
            {
                sequence = AppendLocked(session, eventName, text);
            }

            return sequence;
        }
    }

    public long Dispatch(string eventName, JsonObject data) =>
        TryDispatch(eventName, data) ?? throw new InvalidOperationException(
            $"No gateway session owns guild {DiscordJson.String(data, "guild_id") ?? "(none: a DM, shard 0)"}: wait for that shard's identify first "
            + "(WaitForIdentifyAsync), and after an invalid session for the next one.");

    /// <summary>What the live session of shard <paramref name="shardId"/> was sent so far: event names and their guild ids.</summary>
    public IReadOnlyList<(string Event, string? GuildId)> EventsOf(int shardId)
    {
        lock (_gate)
        {
            return _byShard.TryGetValue(shardId, out var session)
                ? [.. session.Log.Select(e => (e.Event, GuildOf(e.Event, e.Data)))]
                : [];
        }
    }

    /// <summary>Sends the event logged at <paramref name="sequence"/> again under a new sequence number.</summary>
    public long Redispatch(long sequence)
    {
        lock (_gate)
        {
            var session = _current ?? throw new InvalidOperationException("No gateway session.");
            var index = session.Log.FindIndex(e => e.Sequence == sequence);
            if (index < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "The current session has no dispatch with that sequence.");
            }

            var (_, name, data) = session.Log[index];
            return AppendLocked(session, name, data);
        }
    }

    /// <summary>The newest connection still open, for faults aimed at "the" connection.</summary>
    public GatewaySocket Live()
    {
        lock (_gate)
        {
            return _open.LastOrDefault(s => !s.CloseQueued && !s.Aborted)
                ?? throw new InvalidOperationException(
                    $"No open gateway connection. Connections so far: {recorder.Connections.Snapshot().Count}; closes: "
                    + string.Join(", ", recorder.Closes.Snapshot().Select(c => $"#{c.ConnectionId} {c.By} {c.Code?.ToString(CultureInfo.InvariantCulture) ?? "drop"}")));
        }
    }

    /// <summary>Stops dispatches to <paramref name="socket"/>; they queue for a resume instead.</summary>
    public void Detach(GatewaySocket socket, bool invalidate)
    {
        lock (_gate)
        {
            DetachLocked(socket, invalidate);
        }
    }

    /// <summary>Closes from the server side: recorded, detached, and the session ended when the code says so.</summary>
    public Task CloseFromServer(GatewaySocket socket, int code, string reason)
    {
        Detach(socket, invalidate: GatewayCloseCodes.EndsSession(code));
        recorder.Closes.Add(new GatewayClose(socket.Id, GatewayCloseInitiator.Server, code, reason, clock.GetUtcNow()));
        return socket.Close(code, reason);
    }

    /// <summary>Aborts without a close frame; the session stays resumable and later dispatches wait for the resume.</summary>
    public Task Drop(GatewaySocket socket)
    {
        Detach(socket, invalidate: false);
        recorder.Closes.Add(new GatewayClose(socket.Id, GatewayCloseInitiator.Server, null, "dropped by the test", clock.GetUtcNow()));
        return socket.Abort();
    }

    /// <summary>Op 9; when not resumable, the session on this connection (or <paramref name="sessionId"/>) ends.</summary>
    public Task SendInvalidSession(GatewaySocket socket, bool resumable, string? sessionId = null)
    {
        lock (_gate)
        {
            DetachLocked(socket, invalidate: !resumable);
            if (!resumable && sessionId is not null && _sessions.TryGetValue(sessionId, out var session))
            {
                session.Resumable = false;
            }
        }

        return socket.Send(Frame(9, resumable));
    }

    /// <summary>Op 7: the connection gets no more dispatches; they wait for the resume.</summary>
    public Task SendReconnect(GatewaySocket socket)
    {
        Detach(socket, invalidate: false);
        return socket.Send(Frame(7, null));
    }

    public long? LastSentOf(GatewaySocket socket)
    {
        lock (_gate)
        {
            return _sessions.Values.FirstOrDefault(s => s.Attached == socket)?.LastSent ?? _current?.LastSent;
        }
    }

    public static string Frame(int op, JsonNode? data) =>
        "{\"op\":" + op.ToString(CultureInfo.InvariantCulture) + ",\"d\":" + DiscordJson.Write(data) + ",\"s\":null,\"t\":null}";

    private static string? GuildOf(string eventName, string data) =>
        !DiscordJson.TryParse(data, out var node) || node is not JsonObject payload ? null
        : eventName == GatewayPayloads.GuildCreateEvent ? DiscordJson.String(payload, "id")
        : DiscordJson.String(payload, "guild_id");

    private void DetachLocked(GatewaySocket socket, bool invalidate)
    {
        foreach (var session in _sessions.Values.Where(s => s.Attached == socket))
        {
            session.Attached = null;
            session.Resumable &= !invalidate;
        }
    }

    // Caller holds _gate.
    private long AppendLocked(GatewaySession session, string name, string data)
    {
        var sequence = ++session.LastSequence;
        session.Log.Add((sequence, name, data));
        if (session.Attached is { } socket)
        {
            SendLocked(session, socket, sequence, name, data);
        }

        return sequence;
    }

    // Caller holds _gate.
    private void SendLocked(GatewaySession session, GatewaySocket socket, long sequence, string name, string data)
    {
        var parts = _splits.TryGetValue(name, out var queue) && queue.TryDequeue(out var asked) ? asked : 1;
        var frame = "{\"op\":0,\"d\":" + data + ",\"s\":" + sequence.ToString(CultureInfo.InvariantCulture)
            + ",\"t\":" + JsonSerializer.Serialize(name) + "}";
        _ = socket.Send(frame, parts, () => session.MarkSent(sequence));
    }
}
