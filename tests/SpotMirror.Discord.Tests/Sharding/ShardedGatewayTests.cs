using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SpotMirror.Discord.Tests.FakeServer;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.Sharding;

/// <summary>Two shards of one bot against the fake: each identifies with its shard and gets only its own guilds' events, as on Discord.</summary>
public sealed class ShardedGatewayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Owned by shard 1 of 2 ((id &gt;&gt; 22) % 2 == 1); the default guild belongs to shard 0.</summary>
    private static readonly FakeGuild SecondGuild = new("1300000000004194404", "1300000000004194500");

    private static FakeDiscordOptions TwoShards(int maxConcurrency = 2) =>
        new() { OtherGuilds = [SecondGuild], RequiredShards = 2, MaxConcurrency = maxConcurrency };

    [Fact]
    public void The_second_guild_belongs_to_shard_one_and_the_default_guild_to_shard_zero()
    {
        Assert.Equal(0, FakeDiscordServer.ShardOf(new FakeDiscordOptions().GuildId, 2));
        Assert.Equal(1, FakeDiscordServer.ShardOf(SecondGuild.Id, 2));
    }

    [Fact]
    public async Task Each_shard_gets_only_its_own_guilds_events_and_direct_messages_go_to_shard_zero()
    {
        await using var fake = await FakeDiscordServer.StartAsync(TwoShards());
        await using var zero = Shard.Start(fake, 0, 2);
        await using var one = Shard.Start(fake, 1, 2);
        await zero.WaitForAsync(d => d.Type == "GUILD_CREATE");
        await one.WaitForAsync(d => d.Type == "GUILD_CREATE");

        var inSecondGuild = fake.InGuild with { GuildId = SecondGuild.Id, ChannelId = SecondGuild.ChannelId };
        fake.ReactionAdd("1300000000000009001", DiscordEmoji.Unicode("🔥"), inSecondGuild);
        var command = fake.SlashCommand("mood", [CommandOption.OfString("mood", "chill")], inSecondGuild);
        fake.ReactionAdd("1300000000000009002", DiscordEmoji.Unicode("👍"), fake.InGuild);
        fake.ReactionAdd("1300000000000009003", DiscordEmoji.Unicode("❤️"), fake.InDm);

        await one.WaitForAsync(d => (string?)d.Data?["id"] == command.Id);
        await zero.WaitForAsync(d => (string?)d.Data?["message_id"] == "1300000000000009003");
        Assert.Equal([(0, 2), (1, 2)], fake.Identifies.Select(i => i.Shard).Order());
        Assert.Equal(["READY", "GUILD_CREATE", "MESSAGE_REACTION_ADD", "INTERACTION_CREATE"], one.Seen.Select(d => d.Type));
        Assert.All(one.Seen.Skip(1), d => Assert.Equal(SecondGuild.Id, GuildOf(d)));
        Assert.Equal(["READY", "GUILD_CREATE", "MESSAGE_REACTION_ADD", "MESSAGE_REACTION_ADD"], zero.Seen.Select(d => d.Type));
        Assert.Equal([fake.GuildId, fake.GuildId, null], zero.Seen.Skip(1).Select(GuildOf));
        Assert.DoesNotContain(fake.EventsOfShard(0), e => e.GuildId == SecondGuild.Id);
        Assert.DoesNotContain(fake.EventsOfShard(1), e => e.GuildId == fake.GuildId);
    }

    [Fact]
    public async Task An_interaction_dispatched_to_shard_one_is_answered_over_rest_by_its_id_and_token()
    {
        await using var fake = await FakeDiscordServer.StartAsync(TwoShards());
        await using var zero = Shard.Start(fake, 0, 2);
        await using var one = Shard.Start(fake, 1, 2);
        await one.WaitForAsync(d => d.Type == "GUILD_CREATE");

        var command = fake.SlashCommand("profile", place: fake.InGuild with { GuildId = SecondGuild.Id, ChannelId = SecondGuild.ChannelId });
        var seen = await one.WaitForAsync(d => d.Type == "INTERACTION_CREATE");
        await new DiscordApi(zero.Rest).RespondAsync((string)seen.Data!["id"]!, (string)seen.Data!["token"]!,
            new JsonObject { ["type"] = (int)InteractionCallbackType.DeferredChannelMessageWithSource }, CancellationToken.None);

        var callback = Assert.Single(fake.Callbacks);
        Assert.Equal((command.Id, true), (callback.InteractionId, callback.Accepted));
    }

    [Fact]
    public async Task Too_few_shards_is_closed_with_4011_and_the_client_names_the_setting_to_raise()
    {
        await using var fake = await FakeDiscordServer.StartAsync(TwoShards());
        await using var only = Shard.Start(fake, 0, 1);

        var fatal = await Assert.ThrowsAsync<DiscordFatalException>(() => only.Run.WaitAsync(Patience));

        Assert.Equal(4011, fatal.CloseCode);
        Assert.Contains("Discord:ShardCount to at least 2", fatal.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, 2, 4010)]
    [InlineData(-1, 2, 4010)]
    [InlineData(0, 0, 4010)]
    [InlineData(0, 1, 4011)]
    public async Task The_fake_refuses_an_identify_whose_shard_is_out_of_range_or_too_few(int shardId, int shardCount, int code)
    {
        await using var fake = await FakeDiscordServer.StartAsync(TwoShards());
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl);
        await client.ReceiveAsync();
        var identify = GatewayScript.Identify(fake.Token);
        identify["d"]!["shard"] = new JsonArray(shardId, shardCount);

        await client.SendAsync(identify);

        var close = await fake.WaitForCloseAsync(c => c.Code is not null, Patience);
        Assert.Equal(code, close.Code);
        Assert.Equal($"close {code}", Assert.Single(fake.Identifies).Outcome);
    }

    private static string? GuildOf(GatewayDispatch dispatch) =>
        (string?)dispatch.Data?[dispatch.Type == "GUILD_CREATE" ? "id" : "guild_id"];

    /// <summary>One shard's gateway client, as one worker process runs it, collecting what it receives.</summary>
    private sealed class Shard : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<GatewayDispatch> _seen = [];
        private readonly DiscordGateway _gateway;
        private Task _read = Task.CompletedTask;

        private Shard(FakeDiscordServer fake, int shardId, int shardCount)
        {
            var options = new DiscordOptions { Token = fake.Token, ApiBaseUrl = fake.ApiBaseUrl, ShardId = shardId, ShardCount = shardCount };
            Rest = new DiscordRest(options, TimeProvider.System, NullLogger<DiscordRest>.Instance);
            _gateway = new DiscordGateway(new DiscordApi(Rest), options, TimeProvider.System, NullLogger<DiscordGateway>.Instance);
        }

        public DiscordRest Rest { get; }

        public Task Run { get; private set; } = Task.CompletedTask;

        public IReadOnlyList<GatewayDispatch> Seen
        {
            get
            {
                lock (_seen) return [.. _seen];
            }
        }

        public static Shard Start(FakeDiscordServer fake, int shardId, int shardCount)
        {
            var shard = new Shard(fake, shardId, shardCount);
            shard.Run = shard._gateway.RunAsync(null, shard._stop.Token);
            shard._read = shard.ReadAsync();
            return shard;
        }

        public async Task<GatewayDispatch> WaitForAsync(Func<GatewayDispatch, bool> predicate)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (true)
            {
                if (Seen.FirstOrDefault(predicate) is { } found) return found;
                await Task.Delay(20, timeout.Token);
            }
        }

        private async Task ReadAsync()
        {
            await foreach (var dispatch in _gateway.Dispatches.ReadAllAsync())
            {
                lock (_seen) _seen.Add(dispatch);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await Run;
            }
            catch (Exception exception) when (exception is OperationCanceledException or DiscordFatalException)
            {
                // Stopped, or stopped itself.
            }
            await _read;
            _gateway.Dispose();
            Rest.Dispose();
            _stop.Dispose();
        }
    }
}
