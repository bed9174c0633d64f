using System.Text.Json.Nodes;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.FakeServer;

/// <summary>The fake gateway, driven step by step by a hand-written WebSocket client.</summary>
public sealed class FakeGatewayTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Hello_identify_and_ready_open_a_session()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl);

        var hello = await client.ReceiveAsync();
        await client.SendAsync(GatewayScript.Identify(fake.Token));
        var ready = await client.ReceiveAsync();
        var guild = await client.ReceiveAsync();

        Assert.Equal(10, (int)hello["op"]!);
        Assert.Equal(300, (int)hello["d"]!["heartbeat_interval"]!);
        Assert.Null(hello["s"]);
        Assert.Equal("READY", (string?)ready["t"]);
        Assert.Equal(1, (long)ready["s"]!);
        Assert.Equal(fake.BotUserId, (string?)ready["d"]!["user"]!["id"]);
        Assert.Equal(fake.ApplicationId, (string?)ready["d"]!["application"]!["id"]);
        Assert.Equal(fake.ResumeGatewayUrl, (string?)ready["d"]!["resume_gateway_url"]);
        Assert.Equal(fake.SessionId, (string?)ready["d"]!["session_id"]);
        Assert.Equal(("GUILD_CREATE", 2L), ((string?)guild["t"], (long)guild["s"]!));
        var identify = Assert.Single(fake.Identifies);
        Assert.Equal((9217L, "ready"), (identify.Intents!.Value, identify.Outcome));
        Assert.Equal(998, fake.SessionStartsRemaining);
    }

    [Fact]
    public async Task Heartbeats_are_acknowledged_and_recorded_with_their_sequence()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;

        await client.SendAsync(GatewayScript.Heartbeat(2));
        var ack = await client.ReceiveAsync();

        Assert.Equal(11, (int)ack["op"]!);
        var heartbeat = Assert.Single(fake.Heartbeats);
        Assert.Equal((2L, 2L, true), (heartbeat.Sequence!.Value, heartbeat.LastSequenceSent!.Value, heartbeat.Acknowledged));
    }

    [Fact]
    public async Task Guild_and_dm_slash_commands_arrive_with_increasing_sequence_numbers()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;

        var inGuild = fake.SlashCommand("mood", [CommandOption.OfString("mood", "chill"), CommandOption.OfInteger("count", 5)]);
        var inDm = fake.SlashCommand("profile", place: fake.InDm);
        var first = await client.ReceiveAsync();
        var second = await client.ReceiveAsync();

        Assert.Equal((3L, 4L), (inGuild.Sequence, inDm.Sequence));
        Assert.Equal(("INTERACTION_CREATE", 3L), ((string?)first["t"], (long)first["s"]!));
        var guildData = first["d"]!;
        Assert.Equal(inGuild.Id, (string?)guildData["id"]);
        Assert.Equal(inGuild.Token, (string?)guildData["token"]);
        Assert.Equal(2, (int)guildData["type"]!);
        Assert.Equal("chill", (string?)guildData["data"]!["options"]![0]!["value"]);
        Assert.Equal(fake.Options.UserId, (string?)guildData["member"]!["user"]!["id"]);
        Assert.Equal(fake.GuildId, (string?)guildData["guild_id"]);
        var dmData = second["d"]!.AsObject();
        Assert.False(dmData.ContainsKey("guild_id"));
        Assert.False(dmData.ContainsKey("member"));
        Assert.Equal(fake.Options.UserId, (string?)dmData["user"]!["id"]);
        Assert.Equal(1, (int)dmData["context"]!);
    }

    [Fact]
    public async Task A_dropped_connection_resumes_and_gets_every_missed_dispatch_in_order()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (first, ready) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = first;
        fake.Dispatch("TYPING_START", new JsonObject { ["channel_id"] = "1" });
        await first.ReceiveAsync();

        await fake.DropConnectionAsync();
        Assert.True(await first.DroppedAsync());
        fake.Dispatch("TYPING_START", new JsonObject { ["channel_id"] = "4" });
        fake.Dispatch("TYPING_START", new JsonObject { ["channel_id"] = "5" });
        await using var second = await GatewayScript.ConnectAsync((string)ready["d"]!["resume_gateway_url"]!);
        await second.ReceiveAsync();
        await second.SendAsync(GatewayScript.Resume(fake.Token, (string)ready["d"]!["session_id"]!, 3));

        var replayed = new[] { await second.ReceiveAsync(), await second.ReceiveAsync(), await second.ReceiveAsync() };
        Assert.Equal([4L, 5L, 6L], replayed.Select(f => (long)f["s"]!));
        Assert.Equal(["TYPING_START", "TYPING_START", "RESUMED"], replayed.Select(f => (string?)f["t"]));
        var resume = Assert.Single(fake.Resumes);
        Assert.Equal((3L, 2, "resumed"), (resume.Sequence!.Value, resume.Replayed, resume.Outcome));
        Assert.Contains(fake.Closes, c => c.By == GatewayCloseInitiator.Server && c.Dropped);
    }

    [Fact]
    public async Task Resuming_an_unknown_session_gets_op_9_false()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var client = await GatewayScript.ConnectAsync(fake.ResumeGatewayUrl);
        await client.ReceiveAsync();

        await client.SendAsync(GatewayScript.Resume(fake.Token, "no-such-session", 1));
        var answer = await client.ReceiveAsync();

        Assert.Equal((9, false), ((int)answer["op"]!, (bool)answer["d"]!));
        Assert.Equal("op 9 false", Assert.Single(fake.Resumes).Outcome);
    }

    [Fact]
    public async Task Resuming_on_the_initial_url_is_refused()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (first, ready) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = first;
        await fake.DropConnectionAsync();
        await using var second = await GatewayScript.ConnectAsync(fake.GatewayUrl);
        await second.ReceiveAsync();

        await second.SendAsync(GatewayScript.Resume(fake.Token, (string)ready["d"]!["session_id"]!, 2));

        Assert.False((bool)(await second.ReceiveAsync())["d"]!);
        Assert.Contains("initial URL", Assert.Single(fake.Resumes).Outcome, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_scripted_invalid_session_answers_the_next_resume(bool resumable)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (first, ready) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = first;
        await fake.DropConnectionAsync();
        fake.FailNextGateway(GatewayFault.InvalidSessionOnResume(resumable));
        var sessionId = (string)ready["d"]!["session_id"]!;

        await using var second = await GatewayScript.ConnectAsync(fake.ResumeGatewayUrl);
        await second.ReceiveAsync();
        await second.SendAsync(GatewayScript.Resume(fake.Token, sessionId, 2));
        var answer = await second.ReceiveAsync();
        await using var third = await GatewayScript.ConnectAsync(fake.ResumeGatewayUrl);
        await third.ReceiveAsync();
        await third.SendAsync(GatewayScript.Resume(fake.Token, sessionId, 2));
        var retry = await third.ReceiveAsync();

        Assert.Equal((9, resumable), ((int)answer["op"]!, (bool)answer["d"]!));
        Assert.Equal(resumable ? "RESUMED" : null, (string?)retry["t"]);
    }

    [Theory]
    [InlineData(4000, true)]
    [InlineData(4008, true)]
    [InlineData(4007, false)]
    [InlineData(4009, false)]
    [InlineData(4004, false)]
    [InlineData(4014, false)]
    public async Task Close_codes_reach_the_client_and_decide_whether_the_session_survives(int code, bool resumable)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (first, ready) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = first;

        await fake.CloseConnectionAsync(code);
        var received = await first.ReceiveCloseAsync();
        await using var second = await GatewayScript.ConnectAsync(fake.ResumeGatewayUrl);
        await second.ReceiveAsync();
        await second.SendAsync(GatewayScript.Resume(fake.Token, (string)ready["d"]!["session_id"]!, 2));
        var answer = await second.ReceiveAsync();

        Assert.Equal(code, received);
        Assert.Equal(resumable ? "RESUMED" : null, (string?)answer["t"]);
        Assert.Contains(fake.Closes, c => c.By == GatewayCloseInitiator.Server && c.Code == code);
    }

    [Theory]
    [InlineData(9217 | (1 << 15), 4014)]
    [InlineData(9217 | (1 << 1), 4014)]
    [InlineData(1 << 30, 4013)]
    [InlineData(9217 | 512, 4013)]
    public async Task Identify_with_the_wrong_intents_is_closed(long intents, int expected)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl);
        await client.ReceiveAsync();

        await client.SendAsync(GatewayScript.Identify(fake.Token, intents));

        Assert.Equal(expected, await client.ReceiveCloseAsync());
        Assert.Null(Assert.Single(fake.Identifies).SessionId);
    }

    [Fact]
    public async Task Identify_with_a_wrong_token_is_closed_with_4004()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl);
        await client.ReceiveAsync();

        await client.SendAsync(GatewayScript.Identify("Bot " + fake.Token));

        Assert.Equal(4004, await client.ReceiveCloseAsync());
        Assert.False(Assert.Single(fake.Identifies).TokenValid);
    }

    [Theory]
    [InlineData("?encoding=json", 4012)]
    [InlineData("?v=9&encoding=json", 4012)]
    [InlineData("?v=10", 4002)]
    [InlineData("?v=10&encoding=json&compress=zlib-stream", 4002)]
    public async Task The_query_string_must_ask_for_v10_json(string query, int expected)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl, query);

        Assert.Equal(expected, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_client_closing_with_1000_ends_its_session()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (first, ready) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = first;

        await first.CloseAsync(1000);
        await fake.WaitForCloseAsync(c => c.By == GatewayCloseInitiator.Client, Wait);
        await using var second = await GatewayScript.ConnectAsync(fake.ResumeGatewayUrl);
        await second.ReceiveAsync();
        await second.SendAsync(GatewayScript.Resume(fake.Token, (string)ready["d"]!["session_id"]!, 2));

        Assert.False((bool)(await second.ReceiveAsync())["d"]!);
        Assert.Equal(1000, fake.Closes.Single(c => c.By == GatewayCloseInitiator.Client).Code);
    }

    [Fact]
    public async Task Reconnect_can_replace_hello_on_a_new_connection()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        fake.FailNextGateway(GatewayFault.ReconnectInsteadOfHello);
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl);

        var first = await client.ReceiveAsync();
        await client.CloseAsync(4000);

        Assert.Equal(7, (int)first["op"]!);
        Assert.Equal(4000, (await fake.WaitForCloseAsync(c => c.By == GatewayCloseInitiator.Client, Wait)).Code);
    }

    [Fact]
    public async Task Op_7_stops_dispatches_on_that_connection_until_the_resume()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (first, ready) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = first;

        await fake.SendReconnectAsync();
        var reconnect = await first.ReceiveAsync();
        var queued = fake.Dispatch("TYPING_START", new JsonObject());
        await first.CloseAsync(4000);
        await using var second = await GatewayScript.ConnectAsync(fake.ResumeGatewayUrl);
        await second.ReceiveAsync();
        await second.SendAsync(GatewayScript.Resume(fake.Token, (string)ready["d"]!["session_id"]!, 2));

        Assert.Equal(7, (int)reconnect["op"]!);
        Assert.Equal(queued, (long)(await second.ReceiveAsync())["s"]!);
    }

    [Fact]
    public async Task A_server_heartbeat_request_is_op_1()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;

        await fake.RequestHeartbeatAsync();

        Assert.Equal(1, (int)(await client.ReceiveAsync())["op"]!);
    }

    [Fact]
    public async Task A_zombie_connection_stops_acknowledging_heartbeats()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;

        fake.StopAcknowledgingHeartbeats();
        await client.SendAsync(GatewayScript.Heartbeat(2));
        await fake.WaitForHeartbeatAsync(h => h.Sequence == 2, Wait);
        var next = fake.Dispatch("TYPING_START", new JsonObject());

        Assert.Equal(next, (long)(await client.ReceiveAsync())["s"]!);
        Assert.False(Assert.Single(fake.Heartbeats).Acknowledged);
    }

    [Fact]
    public async Task A_large_ready_can_arrive_in_several_frames()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        fake.SplitNext("READY", 3);
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl);
        await client.ReceiveAsync();

        await client.SendAsync(GatewayScript.Identify(fake.Token));
        var ready = await client.ReceiveAsync();

        Assert.Equal(3, client.LastFrameCount);
        Assert.Equal("READY", (string?)ready["t"]);
        await client.ReceiveAsync();
        Assert.Equal(1, client.LastFrameCount);
    }

    [Fact]
    public async Task A_redispatch_delivers_the_same_interaction_under_a_new_sequence()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;

        var interaction = fake.SlashCommand("popular");
        var again = fake.Redispatch(interaction.Sequence);
        var first = await client.ReceiveAsync();
        var second = await client.ReceiveAsync();

        Assert.Equal(interaction.Sequence + 1, again);
        Assert.Equal((string?)first["d"]!["id"], (string?)second["d"]!["id"]);
        Assert.Equal(again, (long)second["s"]!);
    }

    [Fact]
    public async Task Raw_text_reaches_the_client_verbatim()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;

        await fake.SendRawAsync("{\"op\":0,\"s\":3,\"t\":\"INTERACTION_CREATE\",\"d\":{not json");
        await fake.SendRawAsync("{\"op\":42,\"d\":null,\"s\":null,\"t\":null}");

        Assert.EndsWith("{not json", await client.ReceiveTextAsync(), StringComparison.Ordinal);
        Assert.Equal(42, (int)(await client.ReceiveAsync())["op"]!);
    }

    [Theory]
    [InlineData("{\"op\":99,\"d\":null}", 4001)]
    [InlineData("not json", 4002)]
    [InlineData("{\"op\":3,\"d\":{}}", 4003)]
    public async Task Bad_client_payloads_are_closed_with_discords_codes(string payload, int expected)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl);
        await client.ReceiveAsync();

        await client.SendTextAsync(payload);

        Assert.Equal(expected, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task A_payload_over_4096_bytes_is_closed_with_4002()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var client = await GatewayScript.ConnectAsync(fake.GatewayUrl);
        await client.ReceiveAsync();
        var identify = GatewayScript.Identify(fake.Token);
        identify["d"]!["properties"]!["device"] = new string('x', 4096);

        await client.SendAsync(identify);

        Assert.Equal(4002, await client.ReceiveCloseAsync());
        Assert.Empty(fake.Identifies);
    }

    [Fact]
    public async Task Reaction_events_carry_discords_fields()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;

        fake.ReactionAdd("1300000000000009999", DiscordEmoji.Nameless("1300000000000000555"));
        fake.ReactionRemove("1300000000000009999", DiscordEmoji.Unicode("👍"), fake.InDm);
        var added = (await client.ReceiveAsync())["d"]!.AsObject();
        var removed = (await client.ReceiveAsync())["d"]!.AsObject();

        Assert.Null(added["emoji"]!["name"]);
        Assert.Equal("1300000000000000555", (string?)added["emoji"]!["id"]);
        Assert.Equal(fake.GuildId, (string?)added["guild_id"]);
        Assert.True(added.ContainsKey("member"));
        Assert.False(added.ContainsKey("message_author_id"));
        Assert.Equal("👍", (string?)removed["emoji"]!["name"]);
        Assert.False(removed.ContainsKey("guild_id"));
        Assert.False(removed.ContainsKey("member"));
    }

    [Fact]
    public async Task Identifies_spend_the_session_start_limit_and_fail_when_it_is_gone()
    {
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { SessionStartsRemaining = 1 });
        var (first, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = first;
        await using var second = await GatewayScript.ConnectAsync(fake.GatewayUrl);
        await second.ReceiveAsync();

        await second.SendAsync(GatewayScript.Identify(fake.Token));

        Assert.Equal(4004, await second.ReceiveCloseAsync());
        Assert.Equal(0, fake.SessionStartsRemaining);
    }

    [Fact]
    public async Task A_resume_from_a_sequence_the_session_never_reached_is_closed_with_4007()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (first, ready) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = first;
        await fake.DropConnectionAsync();
        await using var second = await GatewayScript.ConnectAsync(fake.ResumeGatewayUrl);
        await second.ReceiveAsync();

        await second.SendAsync(GatewayScript.Resume(fake.Token, (string)ready["d"]!["session_id"]!, 99));

        Assert.Equal(4007, await second.ReceiveCloseAsync());
        Assert.Null(fake.SessionId);
    }

    [Fact]
    public async Task Dispatching_before_any_identify_explains_itself()
    {
        await using var fake = await FakeDiscordServer.StartAsync();

        var error = Assert.Throws<InvalidOperationException>(() => fake.Dispatch("TYPING_START", new JsonObject()));

        Assert.Contains("WaitForIdentifyAsync", error.Message, StringComparison.Ordinal);
    }
}
