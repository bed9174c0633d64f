using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>
/// Telegram's update queue for one bot: updates stay until a getUpdates offset passes them,
/// empty polls are held, and a newer poll ends an older one with 409.
/// </summary>
internal sealed class UpdateQueue
{
    // The real server ends a long poll after about 50 s whatever timeout was asked for.
    private static readonly TimeSpan LongestHold = TimeSpan.FromSeconds(50);

    // Types an empty or never-sent allowed_updates leaves out, as documented by Telegram.
    private static readonly HashSet<string> OptInTypes = ["chat_member", "message_reaction", "message_reaction_count"];

    private readonly Lock _gate = new();
    private readonly List<QueuedUpdate> _pending = [];
    private readonly Signal _arrived = new();
    private long _nextId = 1000;
    private long _confirmedOffset;
    private long _deliveredUpTo = -1;
    private IReadOnlyList<string>? _allowed;
    private PollTicket? _activePoll;

    /// <summary>Pulsed whenever <see cref="ConfirmedOffset"/> moves.</summary>
    public Signal Confirmed { get; } = new();

    /// <summary>Pulsed whenever a successful poll hands updates to the client.</summary>
    public Signal Delivered { get; } = new();

    /// <summary>The highest update_id a successful poll has handed to the client so far (-1 before any).</summary>
    public long DeliveredUpTo
    {
        get
        {
            lock (_gate)
            {
                return _deliveredUpTo;
            }
        }
    }

    public long ConfirmedOffset
    {
        get
        {
            lock (_gate)
            {
                return _confirmedOffset;
            }
        }
    }

    public IReadOnlyList<string>? LastAllowedUpdates
    {
        get
        {
            lock (_gate)
            {
                return _allowed;
            }
        }
    }

    /// <summary>Queues the text <paramref name="build"/> makes from the assigned update_id.</summary>
    public long Enqueue(Func<long, string> build)
    {
        long id;
        lock (_gate)
        {
            id = _nextId++;
            var json = build(id);
            _pending.Add(new QueuedUpdate(id, json, TypeOf(json)));
        }

        _arrived.Pulse();
        return id;
    }

    /// <summary>deleteWebhook with drop_pending_updates forgets the backlog.</summary>
    public void DropPending()
    {
        lock (_gate)
        {
            _pending.Clear();
        }
    }

    /// <summary>What a poll would return now, without confirming, recording or holding: used when a fault spoils the call.</summary>
    public string Peek(PollRequest request)
    {
        lock (_gate)
        {
            return Batch(request.Limit, request.AllowedUpdates ?? _allowed);
        }
    }

    /// <summary>A successful getUpdates: confirm by offset, then answer at once or hold until an update arrives.</summary>
    /// <returns>The result array text, or null when a newer poll ended this one (409).</returns>
    public async Task<string?> PollAsync(PollRequest request, CancellationToken ct)
    {
        var ticket = new PollTicket();
        bool confirmedMoved;
        lock (_gate)
        {
            if (request.AllowedUpdates is not null)
            {
                _allowed = request.AllowedUpdates;
            }

            confirmedMoved = Confirm(request.Offset);
            _activePoll?.Supersede();
            _activePoll = ticket;
        }

        if (confirmedMoved)
        {
            Confirmed.Pulse();
        }

        try
        {
            return await HoldAsync(request, ticket, ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (_activePoll == ticket)
                {
                    _activePoll = null;
                }
            }
        }
    }

    private async Task<string?> HoldAsync(PollRequest request, PollTicket ticket, CancellationToken ct)
    {
        // Answer a little before the client's own timeout, which Telegram.Bot sets equal to the poll timeout.
        var hold = TimeSpan.FromSeconds(request.TimeoutSeconds) - TimeSpan.FromMilliseconds(500);
        using var holdEnds = CancellationTokenSource.CreateLinkedTokenSource(ct);
        holdEnds.CancelAfter(hold < TimeSpan.Zero ? TimeSpan.Zero : hold > LongestHold ? LongestHold : hold);
        while (true)
        {
            var arrived = _arrived.Next;
            lock (_gate)
            {
                if (ticket.IsSuperseded)
                {
                    return null;
                }

                var batch = Deliver(request.Limit, _allowed);
                if (batch != "[]" || request.TimeoutSeconds <= 0)
                {
                    return batch;
                }
            }

            try
            {
                await Task.WhenAny(arrived, ticket.Superseded).WaitAsync(holdEnds.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                lock (_gate)
                {
                    return ticket.IsSuperseded ? null : Deliver(request.Limit, _allowed);
                }
            }
        }
    }

    // Caller holds _gate. Telegram forgets every update below a positive offset; a negative one keeps only the last |offset|.
    private bool Confirm(long? offset)
    {
        switch (offset)
        {
            case > 0:
                _pending.RemoveAll(u => u.Id < offset.Value);
                return Raise(offset.Value);
            case < 0:
                var keep = (int)Math.Min(-offset.Value, _pending.Count);
                _pending.RemoveRange(0, _pending.Count - keep);
                return Raise(_pending.Count > 0 ? _pending[0].Id : _nextId);
            default:
                return false;
        }
    }

    private bool Raise(long offset)
    {
        if (offset <= _confirmedOffset)
        {
            return false;
        }

        _confirmedOffset = offset;
        return true;
    }

    // Caller holds _gate. A batch a successful poll returns: remembered as delivered.
    private string Deliver(int limit, IReadOnlyList<string>? allowed)
    {
        var delivered = _pending.Where(u => IsAllowed(u.Type, allowed)).Take(limit).Select(u => u.Id).DefaultIfEmpty(-1).Max();
        if (delivered > _deliveredUpTo)
        {
            _deliveredUpTo = delivered;
            Delivered.Pulse();
        }

        return Batch(limit, allowed);
    }

    // Caller holds _gate. Updates of types the poll does not allow stay queued but unseen.
    private string Batch(int limit, IReadOnlyList<string>? allowed)
    {
        var texts = _pending.Where(u => IsAllowed(u.Type, allowed)).Take(limit).Select(u => u.Json);
        return "[" + string.Join(",", texts) + "]";
    }

    private static bool IsAllowed(string? type, IReadOnlyList<string>? allowed) =>
        type is null
        || (allowed is null or { Count: 0 } ? !OptInTypes.Contains(type) : allowed.Contains(type));

    // The update's type is its one field besides update_id; unparsable text has none and is always delivered.
    private static string? TypeOf(string json)
    {
        try
        {
            return JsonNode.Parse(json) is JsonObject update
                ? update.Select(p => p.Key).FirstOrDefault(k => k != "update_id")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first pending update a webhook with these allowed_updates would get, or null.</summary>
    public (long Id, string Json)? FirstPending(IReadOnlyList<string>? allowed)
    {
        lock (_gate)
        {
            return _pending.FirstOrDefault(u => IsAllowed(u.Type, allowed)) is { } first ? (first.Id, first.Json) : null;
        }
    }

    /// <summary>A webhook delivery was answered 2xx (or given up on): the update is gone, as a confirmed one is.</summary>
    public void Remove(long id)
    {
        lock (_gate)
        {
            _pending.RemoveAll(u => u.Id == id);
            if (id > _deliveredUpTo)
            {
                _deliveredUpTo = id;
            }
        }

        Delivered.Pulse();
    }

    /// <summary>Queues an update again under its own update_id, as Telegram does when it never saw the answer.</summary>
    public void Requeue(long id, string json)
    {
        lock (_gate)
        {
            _pending.Insert(0, new QueuedUpdate(id, json, TypeOf(json)));
        }

        _arrived.Pulse();
    }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Completes at the next <see cref="Enqueue"/> or <see cref="Requeue"/>.</summary>
    public Task Arrived => _arrived.Next;

    private sealed record QueuedUpdate(long Id, string Json, string? Type);

    private sealed class PollTicket
    {
        private readonly TaskCompletionSource _superseded = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Superseded => _superseded.Task;

        public bool IsSuperseded => _superseded.Task.IsCompleted;

        public void Supersede() => _superseded.TrySetResult();
    }
}

/// <summary>The parameters of one getUpdates call, already clamped to Telegram's ranges.</summary>
internal sealed record PollRequest(long? Offset, int Limit, int TimeoutSeconds, IReadOnlyList<string>? AllowedUpdates);
