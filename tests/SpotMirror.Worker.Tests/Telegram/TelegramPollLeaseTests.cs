using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Telegram;

/// <summary>
/// Two real `run` processes with the same bot token on one SQLite file: the poll lease lets one poll at a time,
/// and the other takes over when the first dies or stops, from the committed offset.
/// </summary>
public sealed class TelegramPollLeaseTests
{
    private const long Chat = 42;

    /// <summary>Well above the 12.5 s a standby may need after a leader died; only a bound on the wait.</summary>
    private static readonly TimeSpan Takeover = TimeSpan.FromSeconds(45);

    private const string BecameLeader = "Telegram: this worker now polls";

    [Fact]
    public async Task A_standby_takes_over_when_the_leader_is_killed_and_again_when_the_new_leader_stops_and_every_update_is_applied_once()
    {
        await using var first = await TelegramBotProcess.StartAsync();
        await first.WaitForLogAsync(BecameLeader, TelegramBotProcess.Patience);
        await using var second = first.Beside();
        await second.WaitForLogAsync("Telegram: standby;", TelegramBotProcess.Patience);

        var commands = new List<long>();
        for (var i = 0; i < 3; i++) commands.Add(first.Fake.SendText(Chat, "private", 7, "Ana", "/mood chill 2"));
        await first.WaitForSentAsync(3);

        // Killed outright, updates waiting: the standby must notice the lease running out and poll from the checkpoint.
        await first.KillAsync();
        for (var i = 0; i < 3; i++) commands.Add(first.Fake.SendText(Chat, "private", 7, "Ana", "/mood happy 2"));
        await second.WaitForLogAsync(BecameLeader, Takeover);
        await second.WaitForSentAsync(6);

        // The first comes back as standby; the second stops as a supervisor stops it, releasing the lease.
        first.Restart();
        await Eventually.WaitAsync(() => Task.FromResult(CountOf(first.Log, "Telegram: standby;")), n => n >= 1, TelegramBotProcess.Patience,
            _ => $"the restarted worker never waited as standby; log:\n{first.Log}");
        Assert.Equal(0, await second.StopAsync());
        for (var i = 0; i < 3; i++) commands.Add(first.Fake.SendText(Chat, "private", 7, "Ana", "/mood sad 2"));
        await Eventually.WaitAsync(() => Task.FromResult(CountOf(first.Log, BecameLeader)), n => n >= 2, Takeover,
            _ => $"the restarted worker never took over; log:\n{first.Log}");
        await first.WaitForSentAsync(9);
        await first.Fake.WaitForConfirmedAsync(commands[^1], TelegramBotProcess.Patience);

        Assert.Equal(9L, await first.QueryAsync<long>("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(9, first.Fake.SentMessages.Count(m => m.ChatId == Chat));
        Assert.Equal((commands[^1] + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            await first.QueryAsync<string>("SELECT position FROM checkpoints WHERE connection LIKE 'telegram:%' AND connection NOT LIKE '%:groups'"));
        Assert.Equal(0, first.Fake.SupersededPolls);
    }

    private static int CountOf(string log, string text)
    {
        var count = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
