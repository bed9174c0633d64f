using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>The gateway side: scripted dispatches, gateway faults, and what the client did on the socket.</summary>
public sealed partial class FakeDiscordServer
{
    public IReadOnlyList<GatewayConnection> Connections => _recorder.Connections.Snapshot();

    public IReadOnlyList<GatewayClose> Closes => _recorder.Closes.Snapshot();

    public IReadOnlyList<GatewayIdentify> Identifies => _recorder.Identifies.Snapshot();

    public IReadOnlyList<GatewayResume> Resumes => _recorder.Resumes.Snapshot();

    public IReadOnlyList<GatewayHeartbeat> Heartbeats => _recorder.Heartbeats.Snapshot();

    /// <summary>The session the last successful Identify started; null before one and once that session ended.</summary>
    public string? SessionId => _hub.Current?.Id;

    /// <summary>The last <c>s</c> the current session assigned (delivered or waiting for a resume).</summary>
    public long LastSequence => _hub.Current?.LastSequence ?? 0;

    /// <summary>What GET /gateway/bot reports as <c>session_start_limit.remaining</c>.</summary>
    public int SessionStartsRemaining => _hub.SessionStartsRemaining;

    /// <summary>
    /// Sends any dispatch on the session of the shard that owns its <c>guild_id</c> (none: shard 0), as Discord
    /// routes: unknown event names and payloads with fields missing are sent as given. With no connection attached (after a drop) it waits for the resume.
    /// </summary>
    /// <returns>The dispatch's sequence number <c>s</c>.</returns>
    public long Dispatch(string eventName, JsonObject data)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(data);
        return _hub.Dispatch(eventName, data);
    }

    /// <summary>The shard a guild's events go to among <paramref name="shardCount"/> shards: (guild_id &gt;&gt; 22) % num_shards.</summary>
    public static int ShardOf(string guildId, int shardCount) =>
        ulong.TryParse(guildId, CultureInfo.InvariantCulture, out var id) ? (int)((id >> 22) % (ulong)Math.Max(1, shardCount)) : 0;

    /// <summary>Every dispatch the live session of shard <paramref name="shardId"/> got so far (READY and replays included), with the guild each was about.</summary>
    public IReadOnlyList<(string Event, string? GuildId)> EventsOfShard(int shardId) => _hub.EventsOf(shardId);

    /// <summary>Sends the dispatch logged at <paramref name="sequence"/> once more under a new <c>s</c>: a duplicate delivery.</summary>
    /// <returns>The new sequence number.</returns>
    public long Redispatch(long sequence) => _hub.Redispatch(sequence);

    /// <summary>INTERACTION_CREATE type 2 for <c>/name</c>, with a fresh id and token; in the default guild unless <paramref name="place"/> says otherwise.</summary>
    public ScriptedInteraction SlashCommand(string name, IReadOnlyList<JsonObject>? options = null, DiscordPlace? place = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return _scripts.SlashCommand(name, options ?? [], place ?? InGuild);
    }

    /// <summary>INTERACTION_CREATE type 4; exactly one option must be focused (<see cref="CommandOption"/>).</summary>
    public ScriptedInteraction Autocomplete(string name, IReadOnlyList<JsonObject> options, DiscordPlace? place = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        return _scripts.Autocomplete(name, options, place ?? InGuild);
    }

    /// <summary>INTERACTION_CREATE type 3: a click on the button <paramref name="customId"/> of the bot's message <paramref name="messageId"/>.</summary>
    public ScriptedInteraction ButtonClick(string messageId, string customId, DiscordPlace? place = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(customId);
        return _scripts.ButtonClick(messageId, customId, place);
    }

    /// <summary>MESSAGE_REACTION_ADD from the place's user; the channel defaults to the message's own.</summary>
    /// <param name="messageAuthorId">message_author_id; by default the bot for messages the bot sent, else left out.</param>
    /// <returns>The sequence number.</returns>
    public long ReactionAdd(string messageId, DiscordEmoji emoji, DiscordPlace? place = null, string? messageAuthorId = null)
    {
        ArgumentNullException.ThrowIfNull(emoji);
        return _scripts.Reaction(add: true, place, messageId, emoji, messageAuthorId);
    }

    /// <summary>MESSAGE_REACTION_REMOVE (no member, no message_author_id, as on Discord).</summary>
    public long ReactionRemove(string messageId, DiscordEmoji emoji, DiscordPlace? place = null)
    {
        ArgumentNullException.ThrowIfNull(emoji);
        return _scripts.Reaction(add: false, place, messageId, emoji, messageAuthorId: null);
    }

    /// <summary>Aborts the newest connection without a close frame. The session stays resumable; later dispatches wait for the resume.</summary>
    public Task DropConnectionAsync() => _hub.Drop(_hub.Live());

    /// <summary>Sends op 7 Reconnect on the newest connection, which gets no more dispatches.</summary>
    public Task SendReconnectAsync() => _hub.SendReconnect(_hub.Live());

    /// <summary>Sends op 9 on the newest connection; with <paramref name="resumable"/> false its session ends.</summary>
    public Task SendInvalidSessionAsync(bool resumable) => _hub.SendInvalidSession(_hub.Live(), resumable);

    /// <summary>Sends a server op 1: the client must heartbeat at once.</summary>
    public Task RequestHeartbeatAsync() => _hub.Live().Send(GatewayHub.Frame(1, null));

    /// <summary>Closes the newest connection with <paramref name="code"/>; 4004, 4007, 4009–4014 also end the session.</summary>
    /// <param name="reason">Discord's own text for the code when null.</param>
    public Task CloseConnectionAsync(int code, string? reason = null) =>
        _hub.CloseFromServer(_hub.Live(), code, reason ?? GatewayCloseCodes.ReasonOf(code));

    /// <summary>The newest connection stops answering heartbeats with op 11 (a zombie); later connections are not affected.</summary>
    public void StopAcknowledgingHeartbeats() => _hub.Live().AcknowledgesHeartbeats = false;

    /// <summary>Sends text as it is on the newest connection: invalid JSON, an unknown op, anything.</summary>
    public Task SendRawAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _hub.Live().Send(text);
    }

    /// <summary>The next dispatch named <paramref name="eventName"/> (READY, GUILD_CREATE, a replay...) goes out in <paramref name="parts"/> WebSocket frames.</summary>
    public void SplitNext(string eventName, int parts)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 2);
        _hub.SplitNext(eventName, parts);
    }

    /// <summary>Arms a one-shot fault for the next connection, identify or resume.</summary>
    public void FailNextGateway(GatewayFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        _hub.AddFault(fault);
    }

    /// <summary>Waits until <paramref name="count"/> identifies arrived (answered or not); returns the last of them.</summary>
    public async Task<GatewayIdentify> WaitForIdentifyAsync(TimeSpan timeout, int count = 1)
    {
        var seen = await _recorder.Identifies.WaitForCountAsync(count, timeout, seen =>
            $"Expected {count} identify(s) within {Seconds(timeout)}; saw {seen.Count}: [{string.Join("; ", seen.Select(i => $"#{i.ConnectionId} {i.Outcome}"))}]. {DescribeGateway()}").ConfigureAwait(false);
        return seen[count - 1];
    }

    /// <summary>Waits until <paramref name="count"/> resumes arrived (accepted or not); returns the last of them.</summary>
    public async Task<GatewayResume> WaitForResumeAsync(TimeSpan timeout, int count = 1)
    {
        var seen = await _recorder.Resumes.WaitForCountAsync(count, timeout, seen =>
            $"Expected {count} resume(s) within {Seconds(timeout)}; saw {seen.Count}: [{string.Join("; ", seen.Select(r => $"#{r.ConnectionId} seq {r.Sequence} {r.Outcome}"))}]. {DescribeGateway()}").ConfigureAwait(false);
        return seen[count - 1];
    }

    public Task<GatewayHeartbeat> WaitForHeartbeatAsync(Func<GatewayHeartbeat, bool> predicate, TimeSpan timeout) =>
        _recorder.Heartbeats.WaitForAsync(predicate, timeout, seen =>
            $"No heartbeat matched within {Seconds(timeout)}; saw {seen.Count}: [{string.Join(", ", seen.TakeLast(10).Select(h => $"#{h.ConnectionId} d={h.Sequence?.ToString(CultureInfo.InvariantCulture) ?? "null"}"))}]. {DescribeGateway()}");

    /// <summary>Waits until at least <paramref name="count"/> WebSocket connections were accepted.</summary>
    public Task<IReadOnlyList<GatewayConnection>> WaitForConnectionCountAsync(int count, TimeSpan timeout) =>
        _recorder.Connections.WaitForCountAsync(count, timeout, seen =>
            $"Expected {count} gateway connection(s) within {Seconds(timeout)}; saw {seen.Count}. {DescribeGateway()}");

    public Task<GatewayClose> WaitForCloseAsync(Func<GatewayClose, bool> predicate, TimeSpan timeout) =>
        _recorder.Closes.WaitForAsync(predicate, timeout, _ => $"No gateway close matched within {Seconds(timeout)}. {DescribeGateway()}");

    private string DescribeGateway()
    {
        var connections = _recorder.Connections.Snapshot();
        var closes = _recorder.Closes.Snapshot();
        return $"Connections: [{string.Join(", ", connections.Select(c => $"#{c.Id} {c.Path}{c.Query}"))}]; "
               + $"closes: [{string.Join(", ", closes.Select(c => $"#{c.ConnectionId} by {c.By} {c.Code?.ToString(CultureInfo.InvariantCulture) ?? "drop"} {c.Reason}"))}]; "
               + $"heartbeats: {_recorder.Heartbeats.Snapshot().Count}; last sequence: {LastSequence}.";
    }
}
