using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Service;

namespace SpotMirror.Discord;

/// <summary>
/// The Discord adapter: runs the gateway, acknowledges each interaction at once (a deferral, answered for
/// real once the work is committed; autocomplete straight away), and handles dispatches in small batches,
/// each in one transaction with the session and sequence it reaches. A restarted process resumes from the
/// committed sequence, so Discord replays exactly what was not committed; every effect is idempotent by
/// event id (interaction id; reaction by user, message, emoji, add or remove and sequence).
/// </summary>
public sealed partial class DiscordBot(
    DiscordGateway gateway,
    DiscordApi api,
    ChatService chat,
    GroupLobbyClock lobbies,
    ICheckpointStore checkpoints,
    IOutbox outbox,
    OutboxSignal signal,
    IOptions<DiscordOptions> options,
    TimeProvider clock,
    ILogger<DiscordBot> logger) : BackgroundService
{
    private const int BatchLimit = 50;
    private const int Ephemeral = 64;
    private static readonly Backoff CommitRetry = new(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
    private readonly DiscordOptions _options = options.Value;

    /// <summary>A READY asks for the commands to be checked; one pending request is enough however many arrive.</summary>
    private readonly Channel<bool> _registrations = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    private string Connection => $"discord:{_options.ShardId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stored = ReadSession(await checkpoints.ReadAsync(Connection, stoppingToken).ConfigureAwait(false));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var run = gateway.RunAsync(stored, stop.Token);
        var consume = ConsumeAsync(stop.Token);
        var registration = RegisterCommandsOnReadyAsync(stop.Token);
        var timer = lobbies.KeepTimeAsync(DiscordInboundParser.Platform,
            (session, reply) => new DiscordOutgoing(DiscordOutgoing.Channel, "", "", session.ChatId, reply, clock.GetUtcNow()).ToPayload(),
            signal, sends: null, stop.Token);
        try
        {
            await run.ConfigureAwait(false);
        }
        catch (DiscordFatalException exception)
        {
            LogFatal(logger, exception.CloseCode, exception.Reason);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Quietly(consume).ConfigureAwait(false);
            await Quietly(registration).ConfigureAwait(false);
            await Quietly(timer).ConfigureAwait(false);
        }
    }

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        var reader = gateway.Dispatches;
        var batch = new List<GatewayDispatch>(BatchLimit);
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < BatchLimit && reader.TryRead(out var dispatch)) batch.Add(dispatch);
            var inbound = batch.Select(d => DiscordInboundParser.Parse(d, gateway.BotUserId, clock.GetUtcNow())).ToList();

            // The 3-second window: acknowledge before anything slow, outside the transaction.
            foreach (var item in inbound) await AcknowledgeAsync(item, cancellationToken).ConfigureAwait(false);
            // Network work (a /link fetch) before the transaction, which holds the write lock while it lasts.
            foreach (var item in inbound.OfType<InboundInteraction>()) await chat.PrepareAsync(item.Event, cancellationToken).ConfigureAwait(false);
            if (batch.Any(d => d.Type == "READY")) _registrations.Writer.TryWrite(true);

            // A stop while the batch is in hand finishes it: its dispatches commit with their sequence.
            using (var inHand = new BatchInHand(cancellationToken))
            {
                await CommitWithRetriesAsync(batch, inbound, inHand.Token).ConfigureAwait(false);
            }
            signal.Notify();
        }
    }

    /// <summary>
    /// The batch's effects and its position, in one transaction. A commit that fails (the database is
    /// locked) is tried again: the dispatches are in memory and must not be dropped.
    /// </summary>
    private async Task CommitWithRetriesAsync(List<GatewayDispatch> batch, List<DiscordInbound> inbound, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await checkpoints.CommitAsync(Connection, async (unit, ct) =>
                {
                    foreach (var item in inbound) await HandleAsync(item, unit, ct).ConfigureAwait(false);
                    return (0, Position(batch[^1].Sequence));
                }, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogCommitFailed(logger, exception, batch.Count, attempt);
                await Task.Delay(CommitRetry.Delay(attempt), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One event as one step of the batch's unit of work: if it fails, only its own writes are taken back.</summary>
    private async Task HandleAsync(DiscordInbound item, IUnitOfWork unit, CancellationToken cancellationToken)
    {
        try
        {
            await unit.StepAsync(async ct =>
            {
                switch (item)
                {
                    case InboundInteraction interaction:
                        var reply = await chat.HandleAsync(interaction.Event, unit, ct).ConfigureAwait(false)
                            ?? (interaction.Ephemeral ? Reply.Receipt("Already noted.") : null);
                        if (reply is null) break;
                        var outgoing = new DiscordOutgoing(DiscordOutgoing.Interaction, interaction.ApplicationId, interaction.Token, interaction.ChannelId, reply, clock.GetUtcNow());
                        await outbox.EnqueueAsync(unit, DiscordInboundParser.Platform, interaction.ChannelId, interaction.Event.EventId, outgoing.ToPayload(), clock.GetUtcNow(), ct).ConfigureAwait(false);
                        break;
                    case InboundReaction reaction:
                        // Reactions are quiet feedback: no message back.
                        await chat.HandleAsync(reaction.Event, unit, ct).ConfigureAwait(false);
                        break;
                    case InboundSkipped skipped when skipped.Why.StartsWith("unreadable", StringComparison.Ordinal):
                        LogUnreadable(logger, skipped.Sequence, skipped.Why);
                        break;
                }
                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // This one event failed for good (its writes were taken back): skip it, keep the batch.
            LogEventFailed(logger, exception, item.Sequence);
        }
    }

    /// <summary>Defers commands ("thinking…") and buttons (an ephemeral one); answers autocomplete from the mood names.</summary>
    private async Task AcknowledgeAsync(DiscordInbound item, CancellationToken cancellationToken)
    {
        try
        {
            switch (item)
            {
                case InboundInteraction interaction:
                    var defer = new JsonObject { ["type"] = (int)InteractionCallbackType.DeferredChannelMessageWithSource };
                    if (interaction.Ephemeral) defer["data"] = new JsonObject { ["flags"] = Ephemeral };
                    await api.RespondAsync(interaction.Id, interaction.Token, defer, cancellationToken).ConfigureAwait(false);
                    break;
                case InboundAutocomplete autocomplete:
                    await api.RespondAsync(autocomplete.Id, autocomplete.Token, new JsonObject
                    {
                        ["type"] = (int)InteractionCallbackType.ApplicationCommandAutocompleteResult,
                        ["data"] = new JsonObject
                        {
                            ["choices"] = autocomplete.Option == "track" ? TrackChoices(autocomplete.Typed) : MoodChoices(autocomplete.Typed),
                        },
                    }, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (DiscordRestException exception)
        {
            // Already acknowledged (a replayed or duplicated interaction), or too late: the work goes on regardless.
            LogAckFailed(logger, exception.Code, exception.DiscordMessage);
        }
        catch (HttpRequestException exception)
        {
            LogAckFailed(logger, 0, exception.Message);
        }
    }

    /// <summary>Up to 25 tracks and artists from the catalogue in memory (never SQLite: Discord waits 3 s at most).</summary>
    private JsonArray TrackChoices(string typed) =>
        new([.. chat.CompleteTracksAndArtists(typed)
            .Select(n => n.Length <= 100 ? n : n[..100])
            .Distinct(StringComparer.Ordinal)
            .Select(n => (JsonNode)new JsonObject { ["name"] = n, ["value"] = n })]);

    /// <summary>Up to 25 mood names (and synonyms) that start with, or contain, what the user typed.</summary>
    private JsonArray MoodChoices(string typed)
    {
        var text = typed.Trim();
        var names = chat.MoodNames.Where(n => n.StartsWith(text, StringComparison.OrdinalIgnoreCase))
            .Concat(chat.MoodNames.Where(n => n.Contains(text, StringComparison.OrdinalIgnoreCase)))
            .Distinct(StringComparer.OrdinalIgnoreCase).Take(25).ToList();
        if (names.Count == 0 && text.Length > 0) names.Add(text[..Math.Min(100, text.Length)]);
        return new JsonArray([.. names.Select(n => (JsonNode)new JsonObject { ["name"] = n, ["value"] = n })]);
    }

    /// <summary>
    /// Runs beside the dispatch loop, so a slow registration never holds back a batch, yet it is stopped and
    /// awaited with the rest: one registration after each READY.
    /// </summary>
    private async Task RegisterCommandsOnReadyAsync(CancellationToken cancellationToken)
    {
        await foreach (var _ in _registrations.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await RegisterCommandsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Registers the slash commands (a guild's in development, else global), only when the set changed.</summary>
    private async Task RegisterCommandsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applicationId = gateway.ApplicationId ?? throw new InvalidOperationException("READY without an application id");
            var guild = string.IsNullOrWhiteSpace(_options.DevGuildId) ? null : _options.DevGuildId;
            var desired = DiscordCommands.Definitions();
            var existing = await api.GetCommandsAsync(applicationId, guild, cancellationToken).ConfigureAwait(false);
            if (SameCommands(existing, desired))
            {
                LogCommandsUnchanged(logger);
                return;
            }
            await api.OverwriteCommandsAsync(applicationId, guild, desired, cancellationToken).ConfigureAwait(false);
            LogCommandsRegistered(logger, desired.Count, guild ?? "global");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogCommandsFailed(logger, exception.Message);
        }
    }

    /// <summary>The registered set already says everything ours says (Discord adds ids and versions of its own).</summary>
    public static bool SameCommands(JsonArray existing, JsonArray desired) =>
        existing.Count == desired.Count && desired.All(d => existing.Any(e => (string?)e?["name"] == (string?)d?["name"] && Covers(e, d)));

    private static bool Covers(JsonNode? actual, JsonNode? wanted) => wanted switch
    {
        JsonObject o => actual is JsonObject a && o.All(p => Covers(a[p.Key], p.Value)),
        JsonArray w => actual is JsonArray a && a.Count == w.Count && w.Select((x, i) => Covers(a[i], x)).All(ok => ok),
        null => actual is null,
        _ => actual is not null && JsonNode.DeepEquals(actual, wanted),
    };

    private string Position(long sequence)
    {
        var session = gateway.Session;
        return new JsonObject
        {
            ["session_id"] = session?.SessionId,
            ["resume_url"] = session?.ResumeUrl,
            ["seq"] = sequence,
            ["bot_user_id"] = gateway.BotUserId,
            ["application_id"] = gateway.ApplicationId,
        }.ToJsonString();
    }

    private static GatewaySession? ReadSession(string? position)
    {
        if (position is null) return null;
        try
        {
            var json = JsonNode.Parse(position);
            var id = (string?)json?["session_id"];
            var url = (string?)json?["resume_url"];
            var seq = (long?)json?["seq"];
            return id is null || url is null || seq is null ? null
                : new GatewaySession(id, url, seq.Value) { BotUserId = (string?)json?["bot_user_id"], ApplicationId = (string?)json?["application_id"] };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped with the rest.
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord closed the gateway for good ({Code}): {Reason} The Discord bot has stopped; the rest of SpotMirror keeps running.")]
    private static partial void LogFatal(ILogger logger, int code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: a batch of {Count} events could not be committed (attempt {Attempt}); trying again")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: handling the event at sequence {Sequence} failed; it is skipped")]
    private static partial void LogEventFailed(ILogger logger, Exception exception, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: the event at sequence {Sequence} could not be read and is skipped: {Why}")]
    private static partial void LogUnreadable(ILogger logger, long sequence, string why);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Discord: an acknowledgement was refused ({Code} {Message})")]
    private static partial void LogAckFailed(ILogger logger, int code, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: the slash commands are up to date")]
    private static partial void LogCommandsUnchanged(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: registered {Count} slash commands ({Scope})")]
    private static partial void LogCommandsRegistered(ILogger logger, int count, string scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: registering the slash commands failed ({Error}); the old set stays")]
    private static partial void LogCommandsFailed(ILogger logger, string error);
}
