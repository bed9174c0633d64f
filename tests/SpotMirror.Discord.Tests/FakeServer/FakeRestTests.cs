using System.Net;
using System.Text.Json.Nodes;
using SpotMirror.Testing;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.FakeServer;

/// <summary>The fake REST API: the headers every request needs, rate limits and scripted faults.</summary>
public sealed class FakeRestTests
{
    private static readonly DateTimeOffset Start = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Gateway_bot_points_at_the_fake_gateway()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var answer = await rest.GetAsync("/gateway/bot");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(fake.GatewayUrl, (string?)answer.Json["url"]);
        Assert.Equal(1, (int)answer.Json["shards"]!);
        Assert.Equal(999, (int)answer.Json["session_start_limit"]!["remaining"]!);
        Assert.Equal(1, (int)answer.Json["session_start_limit"]!["max_concurrency"]!);
    }

    [Fact]
    public async Task Every_answer_carries_rate_limit_headers()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var first = await rest.GetAsync("/gateway/bot");
        var second = await rest.GetAsync("/gateway/bot");

        Assert.Equal("50", first.Headers["X-RateLimit-Limit"]);
        Assert.Equal(("49", "48"), (first.Headers["X-RateLimit-Remaining"], second.Headers["X-RateLimit-Remaining"]));
        Assert.Equal(first.Headers["X-RateLimit-Bucket"], second.Headers["X-RateLimit-Bucket"]);
        Assert.True(double.Parse(first.Headers["X-RateLimit-Reset-After"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.True(first.Headers.ContainsKey("X-RateLimit-Reset"));
    }

    [Fact]
    public async Task An_exhausted_bucket_answers_429_until_the_window_passes()
    {
        var clock = new ManualClock(Start);
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { Clock = clock, RateLimitPerBucket = 1 });
        using var rest = new RestScript(fake);

        await rest.GetAsync("/gateway/bot");
        var limited = await rest.GetAsync("/gateway/bot");
        clock.Advance(TimeSpan.FromSeconds(1));
        var later = await rest.GetAsync("/gateway/bot");

        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.False((bool)limited.Json["global"]!);
        Assert.Equal("user", limited.Headers["X-RateLimit-Scope"]);
        Assert.Equal(HttpStatusCode.OK, later.Status);
    }

    [Fact]
    public async Task A_wrong_token_gets_401_and_every_later_request_is_counted()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var refused = await rest.SendAsync(HttpMethod.Get, "/gateway/bot", token: "not-the-token");
        await rest.GetAsync("/gateway/bot");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal((0, "401: Unauthorized"), (refused.Code, (string?)refused.Json["message"]));
        Assert.Equal(1, fake.RequestsAfterUnauthorized);
        Assert.Equal("wrong", fake.Requests[0].Authorization);
        Assert.DoesNotContain(fake.Requests, r => r.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("SpotMirror/1.0")]
    public async Task A_user_agent_not_shaped_like_discords_is_refused(string? userAgent)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var answer = await rest.SendAsync(HttpMethod.Get, "/gateway/bot", userAgent: userAgent);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task A_body_without_json_content_type_is_invalid_form_body()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var answer = await rest.SendAsync(HttpMethod.Post, $"/channels/{fake.Options.GuildChannelId}/messages", new JsonObject { ["content"] = "hi" }, contentType: "text/plain");

        Assert.Equal((HttpStatusCode.BadRequest, 50035), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task A_scripted_429_names_its_bucket_and_the_retry_succeeds()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);
        fake.FailNext(DiscordRoutes.CreateMessage, DiscordRestFault.RateLimited(0.3, "abcd1234"));

        var limited = await rest.PostAsync($"/channels/{fake.Options.GuildChannelId}/messages", new JsonObject { ["content"] = "hi" });
        var retried = await rest.PostAsync($"/channels/{fake.Options.GuildChannelId}/messages", new JsonObject { ["content"] = "hi" });

        Assert.Equal((HttpStatusCode)429, limited.Status);
        Assert.Equal(0.3, (double)limited.Json["retry_after"]!);
        Assert.False((bool)limited.Json["global"]!);
        Assert.Equal(("abcd1234", "0", "1"), (limited.Headers["X-RateLimit-Bucket"], limited.Headers["X-RateLimit-Remaining"], limited.Headers["Retry-After"]));
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Single(fake.Messages);
    }

    [Fact]
    public async Task A_global_429_says_so_in_body_and_headers()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);
        fake.FailNext(DiscordRoutes.Any, DiscordRestFault.GlobalRateLimited(1.5));

        var answer = await rest.GetAsync("/gateway/bot");

        Assert.True((bool)answer.Json["global"]!);
        Assert.Equal(1.5, (double)answer.Json["retry_after"]!);
        Assert.Equal(("true", "global", "2"), (answer.Headers["X-RateLimit-Global"], answer.Headers["X-RateLimit-Scope"], answer.Headers["Retry-After"]));
        Assert.False(answer.Headers.ContainsKey("X-RateLimit-Bucket"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Server_errors_are_played_once_then_the_route_works(int status)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);
        fake.FailNext(DiscordRoutes.GetGatewayBot, DiscordRestFault.ServerError(status));

        var failed = await rest.GetAsync("/gateway/bot");
        var next = await rest.GetAsync("/gateway/bot");

        Assert.Equal((HttpStatusCode)status, failed.Status);
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }
}
