using SpotMirror.Testing;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Worker.Tests.Discord;

/// <summary>
/// Two real worker processes as shards 0 and 1 of one bot, on one SQLite database file (WAL and a busy
/// timeout let two processes share it): each shard gets only its own guilds' events, a command and a
/// reaction in shard 1's guild are answered and counted once, and a bad shard setting is one clear line.
/// </summary>
public sealed class ShardedWorkersTests
{
    private static readonly TimeSpan Patience = DiscordBotProcess.Patience;

    /// <summary>Owned by shard 1 of 2 ((id &gt;&gt; 22) % 2 == 1); the default guild belongs to shard 0.</summary>
    private static readonly FakeGuild SecondGuild = new("1300000000004194404", "1300000000004194500");

    [Fact]
    public async Task Two_shard_processes_each_get_their_own_guilds_and_a_reaction_in_shard_ones_guild_counts_once()
    {
        await using var shardZero = await DiscordBotProcess.StartShardAsync(
            new FakeDiscordOptions { OtherGuilds = [SecondGuild], RequiredShards = 2, MaxConcurrency = 2 }, shardId: 0, shardCount: 2);
        var fake = shardZero.Fake;
        await fake.WaitForIdentifyAsync(Patience);
        var shardOneLog = shardZero.StartSiblingShard(shardId: 1, shardCount: 2);
        await fake.WaitForIdentifyAsync(Patience, count: 2);
        var place = fake.InGuild with { GuildId = SecondGuild.Id, ChannelId = SecondGuild.ChannelId };

        var mood = fake.SlashCommand("mood", [CommandOption.OfString("mood", "chill"), CommandOption.OfInteger("count", 3)], place);
        var answer = await fake.WaitForMessageAsync(m => m.InteractionId == mood.Id && m.Action == DiscordMessageAction.Edited && m.Embeds.Count > 0, Patience);
        var tracks = await shardZero.WaitForLedgerAsync(SecondGuild.ChannelId, answer.Id);
        fake.ReactionAdd(answer.Id, DiscordEmoji.Unicode("🔥"), place);
        await shardZero.WaitForCountAsync("SELECT COUNT(*) FROM preferences", 3);

        // Distinct: on a loaded machine a shard may lose its connection and identify again, which is fine.
        Assert.Equal([(0, 2), (1, 2)], fake.Identifies.Where(i => i.Outcome == "ready").Select(i => i.Shard).Distinct().Order());
        Assert.Equal(0.35, await shardZero.ScoreAsync(fake.Options.UserId, tracks[0]) ?? 0, 6);
        Assert.Equal(1, await shardZero.CountAsync("SELECT COUNT(*) FROM feedback_events"));
        Assert.Contains(fake.EventsOfShard(1), e => e == ("MESSAGE_REACTION_ADD", SecondGuild.Id));
        Assert.DoesNotContain(fake.EventsOfShard(0), e => e.GuildId == SecondGuild.Id);
        Assert.DoesNotContain(fake.EventsOfShard(1), e => e.GuildId == fake.GuildId);
        // Shard 1's own checkpoint carries the position; shard 0's never saw its events.
        await Eventually.WaitAsync(() => shardZero.CountAsync("SELECT COUNT(*) FROM checkpoints WHERE connection = 'discord:1'"), n => n == 1, Patience,
            _ => $"shard 1 never committed a checkpoint; its log:\n{shardOneLog}");
        // A replay after a reconnect may try the acknowledgement again; Discord accepts only one.
        Assert.Single(fake.Callbacks, c => c.InteractionId == mood.Id && c.Accepted);
    }

    [Theory]
    [InlineData("2", "2", "Discord:ShardId must be 0 to ShardCount - 1")]
    [InlineData("0", "0", "Discord:ShardId must be 0 to ShardCount - 1")]
    public async Task A_shard_setting_out_of_range_stops_start_up_with_one_sentence(string shardId, string shardCount, string sentence)
    {
        using var db = new TempDatabase();

        var result = await SpotMirrorProcess.RunAsync(["run", "--db", db.Path], environment: new Dictionary<string, string?>
        {
            ["Discord__Token"] = "FAKE-discord-bot-token.x1.y2",
            ["Discord__ApiBaseUrl"] = "http://127.0.0.1:9/api/v10",
            ["Discord__ShardId"] = shardId,
            ["Discord__ShardCount"] = shardCount,
            ["Http__Enabled"] = "false",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.Contains(sentence, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_few_shards_for_discord_is_one_critical_line_naming_the_setting_and_the_host_keeps_running()
    {
        await using var bot = await DiscordBotProcess.StartShardAsync(new FakeDiscordOptions { RequiredShards = 2 }, shardId: 0, shardCount: 1);

        var log = await Eventually.WaitAsync(() => Task.FromResult(bot.Log), l => l.Contains("(4011)", StringComparison.Ordinal), Patience,
            l => $"no 4011 line in the log:\n{l}");

        Assert.Contains("set Discord:ShardCount to at least 2", log, StringComparison.Ordinal);
        Assert.Single(bot.Fake.Identifies);
        Assert.False(bot.HasExited);
    }
}
