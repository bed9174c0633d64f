using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Discord;

/// <summary>The session's side of the gateway: dispatches, the identify budget, the one writer and the log lines.</summary>
public sealed partial class DiscordGateway
{
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
            Session = new GatewaySession(sessionId, resumeUrl, sequence.Value) { BotUserId = BotUserId, ApplicationId = ApplicationId };
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

    private async Task<string> InitialUrlAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.GatewayUrl)) return _options.GatewayUrl!;
        if (_initialUrl is not null) return _initialUrl;
        var info = await _api.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
        _initialUrl = info.Url;
        return info.Url;
    }

    /// <summary>
    /// Never a crash loop of identifies: when today's session starts are spent (the budget is the token's,
    /// shared by every shard), wait for the reset, since Discord resets the token when the starts run out;
    /// then wait for this shard's turn in its identify bucket (<see cref="IdentifySchedule"/>).
    /// </summary>
    private async Task WaitForIdentifyBudgetAsync(CancellationToken cancellationToken)
    {
        var info = await _api.GetGatewayBotAsync(cancellationToken).ConfigureAwait(false);
        _initialUrl ??= info.Url;
        RecommendedShards = info.Shards;
        if (info.Shards > _options.ShardCount) LogMoreShardsRecommended(_logger, info.Shards, _options.ShardCount);
        if (info.Remaining <= 0)
        {
            LogBudgetSpent(_logger, _options.ShardId, info.Total, info.ResetAfter.TotalMinutes);
            await Task.Delay(info.ResetAfter, _clock, cancellationToken).ConfigureAwait(false);
        }
        else if (info.Remaining < Math.Max(info.Total / 10, _options.ShardCount))
        {
            LogBudgetLow(_logger, _options.ShardId, info.Remaining, info.Total);
        }
        var schedule = new IdentifySchedule(_options.ShardId, _options.ShardCount, info.MaxConcurrency);
        var now = _clock.GetUtcNow();
        var wait = schedule.Next(now, _lastIdentify) - now;
        if (wait <= TimeSpan.Zero) return;
        LogIdentifyTurn(_logger, _options.ShardId, _options.ShardCount, schedule.Bucket, info.MaxConcurrency, wait.TotalSeconds);
        await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
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

    private JsonObject? Parse(byte[] frame)
    {
        try
        {
            return JsonNode.Parse(frame) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException exception)
        {
            LogOddFrame(_logger, $"unreadable JSON ({_redactor.Redact(exception.Message)})");
            return null;
        }
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord: shard {ShardId} found all {Total} session starts for today spent; waiting {Minutes:F0} min for the reset rather than risk the token")]
    private static partial void LogBudgetSpent(ILogger logger, int shardId, int total, double minutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: shard {ShardId} sees only {Remaining} of {Total} session starts left today (shared by every shard)")]
    private static partial void LogBudgetLow(ILogger logger, int shardId, int remaining, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord: shard {ShardId}/{ShardCount} waits {Seconds:F1} s for its turn to identify (bucket {Bucket} of max_concurrency {MaxConcurrency})")]
    private static partial void LogIdentifyTurn(ILogger logger, int shardId, int shardCount, int bucket, int maxConcurrency, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord: GET /gateway/bot recommends {Recommended} shards and Discord:ShardCount is {ShardCount}; Discord closes with 4011 once sharding is required")]
    private static partial void LogMoreShardsRecommended(ILogger logger, int recommended, int shardCount);
}
