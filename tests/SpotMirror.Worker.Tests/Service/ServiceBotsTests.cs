using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SpotMirror.Testing;
using SpotMirror.Testing.Discord;
using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Service;

/// <summary>Readiness and metrics of `run` with its bots, against the loopback fakes.</summary>
public sealed partial class ServiceBotsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    /// <summary>The service with only the Telegram bot, polling every second, once /health/ready says ok.</summary>
    private async Task<ServiceProcess> StartReadyWithTelegramAsync(FakeTelegramServer telegram)
    {
        var service = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["Storage__Path"] = _db.Path,
            ["Telegram__Token"] = telegram.Token,
            ["Telegram__BaseUrl"] = telegram.BaseUrl,
            ["Telegram__PollTimeoutSeconds"] = "1",
        });
        try
        {
            await service.WaitForOkAsync("/health/ready");
            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    [Fact]
    public async Task Ready_turns_503_naming_telegram_while_its_polls_fail_and_200_again_once_they_succeed()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        using var service = await StartReadyWithTelegramAsync(telegram);

        // Three failed polls: the poller backs off 1, 2 and about 4 s, disconnected all the while.
        telegram.FailNext("getUpdates", TelegramFault.HtmlServerError(502), times: 3);
        var down = await Eventually.WaitAsync(() => service.GetAsync("/health/ready"), r => r.Status == HttpStatusCode.ServiceUnavailable, Patience,
            r => $"ready stayed {(int)r.Status} while Telegram failed: {r.Body}");
        await service.WaitForOkAsync("/health/ready");
        var back = await service.GetAsync("/health/ready");

        Assert.Contains("\"telegram\":\"not connected: getUpdates failed", down.Body, StringComparison.Ordinal);
        Assert.Contains("\"storage\":\"ok\"", down.Body, StringComparison.Ordinal);
        Assert.Contains("\"telegram\":\"ok\"", back.Body, StringComparison.Ordinal);
        Assert.Equal(0, await service.TerminateAsync());
    }

    [Fact]
    public async Task Sigterm_while_a_telegram_batch_waits_on_a_locked_database_commits_that_batch_and_exits_0()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        using var service = await StartReadyWithTelegramAsync(telegram);
        await using var holder = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        await holder.OpenAsync();
        await using var transaction = (SqliteTransaction)await holder.BeginTransactionAsync();
        await using (var write = holder.CreateCommand())
        {
            // Another writer holds the lock, so the batch's commit waits in SQLite's busy wait when the signal comes.
            write.Transaction = transaction;
            write.CommandText = "INSERT INTO checkpoints (connection, position, updated_at) VALUES ('test:holder', '0', 0)";
            await write.ExecuteNonQueryAsync();
        }
        var update = telegram.SendText(42, "private", 7, "Ana", "/mood chill 2");
        await telegram.WaitForDeliveredAsync(update, Patience);

        using (System.Diagnostics.Process.Start("kill", ["-TERM", service.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) { }
        // The HTTP API stops first, the poller's token next: once the API is gone the stop is under way.
        await Eventually.WaitAsync(() => ListeningAsync(service), listening => !listening, Patience, _ => "the API kept listening after SIGTERM");
        await Task.Delay(500);
        await transaction.RollbackAsync();
        var exit = await service.TerminateAsync();

        Assert.Equal(0, exit);
        Assert.Equal((update + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            await ScalarAsync("SELECT position FROM checkpoints WHERE connection LIKE 'telegram:%' AND connection NOT LIKE '%:groups'"));
        Assert.Equal("1", await ScalarAsync("SELECT COUNT(*) FROM outbox"));
    }

    [Fact]
    public async Task Ready_turns_503_naming_discord_when_its_gateway_goes_away()
    {
        var discord = await FakeDiscordServer.StartAsync();
        using var service = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["Storage__Path"] = _db.Path,
            ["Discord__Token"] = discord.Token,
            ["Discord__ApiBaseUrl"] = discord.ApiBaseUrl,
        });
        try
        {
            await service.WaitForOkAsync("/health/ready");
            var up = await service.GetAsync("/health/ready");

            // Discord is gone (connections refused from now on): the gateway retries with backoff, never connected.
            await discord.DisposeAsync();
            var down = await Eventually.WaitAsync(() => service.GetAsync("/health/ready"), r => r.Status == HttpStatusCode.ServiceUnavailable, Patience,
                r => $"ready stayed {(int)r.Status} after Discord went away: {r.Body}");

            Assert.Contains("\"discord\":\"ok\"", up.Body, StringComparison.Ordinal);
            Assert.Contains("\"discord\":\"not connected", down.Body, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/health/live")).Status);
            Assert.Equal(0, await service.TerminateAsync());
        }
        finally
        {
            await discord.DisposeAsync();
        }
    }

    [Fact]
    public async Task Metrics_after_traffic_are_prometheus_text_with_every_named_series()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var discord = await FakeDiscordServer.StartAsync();
        using var service = ServiceProcess.Start(new Dictionary<string, string?>
        {
            ["Storage__Path"] = _db.Path,
            ["Telegram__Token"] = telegram.Token,
            ["Telegram__BaseUrl"] = telegram.BaseUrl,
            ["Telegram__PollTimeoutSeconds"] = "1",
            ["Telegram__PerChatIntervalSeconds"] = "0",
            ["Discord__Token"] = discord.Token,
            ["Discord__ApiBaseUrl"] = discord.ApiBaseUrl,
        });
        await service.WaitForOkAsync("/health/ready");

        await service.GetAsync("/recommend/mood?mood=chill");
        using (var like = new StringContent("{\"trackId\":1,\"signal\":\"like\"}", Encoding.UTF8, "application/json"))
        using (var response = await service.Client.PostAsync(new Uri("/users/ana/feedback", UriKind.Relative), like))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var sent = telegram.SendText(42, "private", 7, "Ana", "/mood chill 2");
        await telegram.WaitForMessageAsync(m => m.ReplyToMessageId == telegram.MessageIdOf(sent), Patience);
        await discord.DropConnectionAsync();
        await discord.WaitForResumeAsync(Patience);
        var text = await Eventually.WaitAsync(async () => (await service.GetAsync("/metrics")).Body,
            t => t.Contains("spotmirror_learned_model_age_seconds", StringComparison.Ordinal) && t.Contains("spotmirror_gateway_reconnects_total", StringComparison.Ordinal),
            Patience, t => $"no learned model age or reconnect count:\n{t}");

        Assert.Equal(0, await service.TerminateAsync());
        Assert.DoesNotContain(discord.Token, service.Log + service.Output + text, StringComparison.Ordinal);
        Assert.DoesNotContain(telegram.Token.Split(':')[1], service.Log + service.Output + text, StringComparison.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(line.StartsWith('#') ? CommentLine().IsMatch(line) : SampleLine().IsMatch(line), $"not Prometheus text: {line}");
        }
        Assert.Matches("http_server_request_duration_seconds_bucket\\{[^}]*http_route=\"/recommend/mood\"", text);
        Assert.Matches("spotmirror_recommendations_total\\{[^}]*path=\"popular-by-mood\"[^}]*\\} [1-9]", text);
        Assert.Matches("spotmirror_recommendations_total\\{[^}]*path=\"mood\"", text);
        Assert.Matches("spotmirror_feedback_events_total\\{[^}]*outcome=\"applied\"[^}]*\\} 1", text);
        Assert.Matches("spotmirror_batch_commit_duration_seconds_count\\{[^}]*connection=\"telegram\"", text);
        // At least one: under a loaded machine the fake's short heartbeat can cost the bot another resume of its own.
        Assert.Matches("spotmirror_gateway_reconnects_total\\{[^}]*kind=\"resume\"[^}]*\\} [1-9][0-9]*", text);
        Assert.Matches("spotmirror_telegram_poll_lag_seconds\\{[^}]*\\} [0-9.]+", text);
        Assert.Matches("spotmirror_learned_model_age_seconds\\{[^}]*\\} [0-9.]+", text);
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<bool> ListeningAsync(ServiceProcess service)
    {
        try
        {
            await service.GetAsync("/health/live");
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [GeneratedRegex("^# (TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)|HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|UNIT [a-zA-Z_:][a-zA-Z0-9_:]* .*|EOF)$")]
    private static partial Regex CommentLine();

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*\\})? ([-+]?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?$")]
    private static partial Regex SampleLine();
}
