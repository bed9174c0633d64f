using Dapper;
using SpotMirror.Testing;
using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Postgres;

/// <summary>Two real workers with one bot token on one PostgreSQL database: the poll lease moves when the leader dies.</summary>
public sealed class TelegramLeaseOnPostgresTests : IDisposable
{
    private const long Chat = 42;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Well above the 12.5 s a standby may need after a leader died; only a bound on the wait.</summary>
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(45);

    private readonly TempPostgresDatabase _db = new();
    private readonly TempDatabase _local = new();

    public void Dispose()
    {
        _db.Dispose();
        _local.Dispose();
    }

    [Fact]
    public async Task Polling_moves_to_the_standby_after_a_kill_of_the_leader_and_no_update_is_lost_or_handled_twice()
    {
        await using var telegram = await FakeTelegramServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Telegram__Token"] = telegram.Token,
            ["Telegram__BaseUrl"] = telegram.BaseUrl,
            ["Telegram__PollTimeoutSeconds"] = "2",
            ["Telegram__PerChatIntervalSeconds"] = "0",
        };
        var folder = Path.GetDirectoryName(_local.Path)!;
        await using var a = await RunningWorker.StartOnPostgresAsync(_db.ConnectionString, folder, settings);
        await WaitForRoleAsync(a, "leader", Patience);
        await using var b = await RunningWorker.StartOnPostgresAsync(_db.ConnectionString, folder, settings);
        await WaitForRoleAsync(b, "standby", Patience);

        var commands = new List<long>();
        for (var i = 0; i < 3; i++) commands.Add(telegram.SendText(Chat, "private", 7, "Ana", "/mood chill 2"));
        // Marked sent before the kill: a reply sent in the instant before its mark would rightly go again (the outbox
        // sends at least once across a crash); what must never repeat is the handling of an update.
        await Eventually.WaitAsync(() => CountAsync("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), n => n == 3, Patience, n => $"{n} of 3 replies marked sent");
        await a.KillAsync();
        for (var i = 0; i < 3; i++) commands.Add(telegram.SendText(Chat, "private", 7, "Ana", "/mood happy 2"));
        await WaitForRoleAsync(b, "leader", Takeover);
        await telegram.WaitForMessagesAsync(6, Patience);
        await telegram.WaitForConfirmedAsync(commands[^1], Patience);

        Assert.Equal(6L, await CountAsync("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(6, telegram.SentMessages.Count(m => m.ChatId == Chat));
        Assert.Equal(0, telegram.SupersededPolls);
    }

    private Task<long> CountAsync(string sql) => _db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), CancellationToken.None);

    private static Task<string> WaitForRoleAsync(RunningWorker worker, string role, TimeSpan patience) =>
        Eventually.WaitAsync(worker.ReadinessAsync, body => body.Contains($"\"telegram-poll: {role}\":\"ok\"", StringComparison.Ordinal), patience,
            body => $"worker {worker.Id} never said it is {role}: {body}");
}
