using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.Client;

/// <summary>Our Gateway v10 client against the fake Discord: the handshake, and each fault of protocols.md 8.1.</summary>
public sealed class GatewayClientTests
{
    private static readonly TimeSpan Patience = GatewayHarness.Patience;

    private static List<long> MessageIds(GatewayHarness h) =>
        h.Seen.Where(d => d.Type == "MESSAGE_REACTION_ADD").Select(d => long.Parse((string)d.Data!["message_id"]!, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [Fact]
    public async Task It_identifies_with_only_the_intents_it_needs_keeps_the_session_and_heartbeats_with_the_last_sequence()
    {
        await using var h = await GatewayHarness.StartAsync();

        await h.WaitForReadyAsync();
        var identify = await h.Fake.WaitForIdentifyAsync(Patience);
        var sent = h.Send(1);
        await h.WaitForAsync(d => d.Sequence == sent);
        var beat = await h.Fake.WaitForHeartbeatAsync(b => b.Sequence == sent, Patience);

        Assert.Equal(9217, identify.Intents);
        Assert.True(identify.TokenValid);
        Assert.Equal(h.Fake.SessionId, h.Gateway.Session!.SessionId);
        Assert.Equal(h.Fake.BotUserId, h.Gateway.BotUserId);
        Assert.Equal(h.Fake.ApplicationId, h.Gateway.ApplicationId);
        Assert.True(beat.Acknowledged);
        Assert.Equal("?v=10&encoding=json", h.Fake.Connections[0].Query);
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_and_the_dispatches_queued_meanwhile_arrive_once_in_order()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();
        var first = h.Send(1);
        await h.WaitForAsync(d => d.Sequence == first);

        await h.Fake.DropConnectionAsync();
        h.Send(2);
        var last = h.Send(3);
        await h.WaitForAsync(d => d.Sequence == last);

        var resume = await h.Fake.WaitForResumeAsync(Patience);
        Assert.True(resume.Accepted);
        Assert.Equal([1, 2, 3], MessageIds(h));
        Assert.Contains(h.Seen, d => d.Type == "RESUMED");
        Assert.Single(h.Fake.Identifies);
    }

    [Fact]
    public async Task Op_7_means_close_and_resume()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();

        await h.Fake.SendReconnectAsync();
        var resume = await h.Fake.WaitForResumeAsync(Patience);

        Assert.True(resume.Accepted);
        var close = await h.Fake.WaitForCloseAsync(c => c.By == GatewayCloseInitiator.Client, Patience);
        Assert.NotEqual(1000, close.Code);
        Assert.NotEqual(1001, close.Code);
    }

    [Fact]
    public async Task Op_7_instead_of_hello_is_survived()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();
        h.Fake.FailNextGateway(GatewayFault.ReconnectInsteadOfHello);

        await h.Fake.DropConnectionAsync();
        var last = h.Send(5);

        await h.WaitForAsync(d => d.Sequence == last);
        Assert.True((await h.Fake.WaitForResumeAsync(Patience)).Accepted);
    }

    [Fact]
    public async Task Op_9_false_starts_a_new_session_and_op_9_true_resumes()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();
        var first = h.Fake.SessionId;

        await h.Fake.SendInvalidSessionAsync(resumable: true);
        Assert.True((await h.Fake.WaitForResumeAsync(Patience)).Accepted);

        await h.Fake.SendInvalidSessionAsync(resumable: false);
        await h.Fake.WaitForIdentifyAsync(Patience, count: 2);
        await h.WaitForAsync(d => d.Type == "READY" && (string?)d.Data?["session_id"] != first);

        Assert.NotEqual(first, h.Gateway.Session!.SessionId);
    }

    [Fact]
    public async Task Missing_acks_make_it_reconnect_and_resume()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();

        h.Fake.StopAcknowledgingHeartbeats();

        Assert.True((await h.Fake.WaitForResumeAsync(Patience)).Accepted);
        Assert.True(h.Fake.Connections.Count >= 2);
    }

    [Fact]
    public async Task A_heartbeat_request_is_answered_at_once()
    {
        await using var h = await GatewayHarness.StartAsync(new FakeDiscordOptions { HeartbeatInterval = TimeSpan.FromSeconds(30) });
        await h.WaitForReadyAsync();
        var before = h.Fake.Heartbeats.Count;

        await h.Fake.RequestHeartbeatAsync();

        await h.Fake.WaitForHeartbeatAsync(_ => h.Fake.Heartbeats.Count > before, Patience);
    }

    [Theory]
    [InlineData(4000, true)]
    [InlineData(4008, true)]
    [InlineData(4007, false)]
    [InlineData(4009, false)]
    public async Task Recoverable_close_codes_resume_or_identify_as_the_table_says(int code, bool resumes)
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();

        await h.Fake.CloseConnectionAsync(code);

        if (resumes) Assert.True((await h.Fake.WaitForResumeAsync(Patience)).Accepted);
        else await h.Fake.WaitForIdentifyAsync(Patience, count: 2);
        var last = h.Send(9);
        await h.WaitForAsync(d => d.Sequence == last);
    }

    [Theory]
    [InlineData(4004)]
    [InlineData(4013)]
    [InlineData(4014)]
    public async Task Fatal_close_codes_stop_the_client_without_reconnecting(int code)
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();

        await h.Fake.CloseConnectionAsync(code);

        var fatal = await Assert.ThrowsAsync<DiscordFatalException>(() => h.Run.WaitAsync(Patience));
        Assert.Equal(code, fatal.CloseCode);
        Assert.Single(h.Fake.Connections);
    }

    [Fact]
    public async Task Malformed_frames_are_skipped_and_the_session_goes_on()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();

        await h.Fake.SendRawAsync("{not json");
        await h.Fake.SendRawAsync("""{"op":42,"d":null}""");
        h.Fake.Dispatch("SOMETHING_NEW", new System.Text.Json.Nodes.JsonObject { ["x"] = 1 });
        var last = h.Send(7);

        await h.WaitForAsync(d => d.Sequence == last);
        Assert.Single(h.Fake.Connections);
    }

    [Fact]
    public async Task A_ready_split_across_frames_is_put_back_together()
    {
        var fake = new FakeDiscordOptions();
        await using var h = await GatewayHarness.StartAsync(fake);
        await h.WaitForReadyAsync();
        h.Fake.SplitNext("READY", 4);

        await h.Fake.SendInvalidSessionAsync(resumable: false);
        await h.Fake.WaitForIdentifyAsync(Patience, count: 2);

        await h.WaitForAsync(d => d.Type == "READY" && (string?)d.Data?["session_id"] == h.Fake.SessionId && h.Seen.Count(x => x.Type == "READY") == 2);
    }

    [Fact]
    public async Task A_session_from_a_previous_process_is_resumed_and_gets_what_that_process_missed()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();
        var sent = h.Send(1);
        var committed = await h.WaitForAsync(d => d.Sequence == sent);
        var session = h.Gateway.Session! with { Sequence = committed.Sequence };

        // The first process stops; meanwhile two more events happen.
        await h.StopClientAsync();
        h.Send(2);
        var last = h.Send(3);

        await using var next = h.NextProcess(session);
        var replayed = new List<GatewayDispatch>();
        await foreach (var dispatch in next.Gateway.Dispatches.ReadAllAsync().WithCancellation(new CancellationTokenSource(Patience).Token))
        {
            replayed.Add(dispatch);
            if (dispatch.Sequence == last) break;
        }

        Assert.True((await h.Fake.WaitForResumeAsync(Patience)).Accepted);
        Assert.Single(h.Fake.Identifies);
        Assert.Equal(["2", "3"], replayed.Where(d => d.Type == "MESSAGE_REACTION_ADD").Select(d => (string)d.Data!["message_id"]!));
    }

    [Fact]
    public async Task A_resumed_session_still_knows_the_bots_own_user_and_application_without_a_ready()
    {
        await using var h = await GatewayHarness.StartAsync();
        await h.WaitForReadyAsync();
        var session = h.Gateway.Session!;
        await h.StopClientAsync();
        var last = h.Send(1);

        await using var next = h.NextProcess(session);
        await foreach (var dispatch in next.Gateway.Dispatches.ReadAllAsync().WithCancellation(new CancellationTokenSource(Patience).Token))
        {
            if (dispatch.Sequence == last) break;
        }

        Assert.True((await h.Fake.WaitForResumeAsync(Patience)).Accepted);
        Assert.Equal((h.Gateway.BotUserId, h.Gateway.ApplicationId), (next.Gateway.BotUserId, next.Gateway.ApplicationId));
        Assert.NotNull(next.Gateway.BotUserId);
    }

    [Fact]
    public async Task With_no_session_starts_left_today_it_waits_instead_of_identifying()
    {
        await using var h = await GatewayHarness.StartAsync(new FakeDiscordOptions { SessionStartsRemaining = 0 });

        await h.Fake.WaitForRequestAsync(r => r.Route == DiscordRoutes.GetGatewayBot, Patience);
        // Nothing to wait for but time: a client that ignored the budget would have connected by now.
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Empty(h.Fake.Identifies);
        Assert.Empty(h.Fake.Connections);
    }
}
