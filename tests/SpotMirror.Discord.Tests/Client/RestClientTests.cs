using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.Client;

/// <summary>Our REST path against the fake: headers, rate limits, retries that are safe, and the stop after 401.</summary>
public sealed class RestClientTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private FakeDiscordServer _fake = null!;
    private DiscordRest _rest = null!;
    private DiscordApi _api = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync();
        _rest = new DiscordRest(new DiscordOptions { Token = _fake.Token, ApiBaseUrl = _fake.ApiBaseUrl }, TimeProvider.System, NullLogger<DiscordRest>.Instance);
        _api = new DiscordApi(_rest);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _rest.Dispose();

    private static JsonObject Message(string content) => new() { ["content"] = content, ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() } };

    [Fact]
    public async Task Every_request_carries_the_bot_authorization_a_discord_user_agent_and_json()
    {
        await _api.CreateMessageAsync(_fake.Options.GuildChannelId, Message("hello"), CancellationToken.None);

        var request = Assert.Single(_fake.Requests, r => r.Route == DiscordRoutes.CreateMessage);
        Assert.Equal("valid", request.Authorization);
        Assert.StartsWith("DiscordBot (", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bucket_429_waits_as_told_and_the_call_then_succeeds()
    {
        _fake.FailNext(DiscordRoutes.CreateMessage, DiscordRestFault.RateLimited(0.3, "bucket-a"));

        var message = await _api.CreateMessageAsync(_fake.Options.GuildChannelId, Message("after a wait"), CancellationToken.None);

        Assert.NotNull(message["id"]);
        var calls = _fake.Requests.Where(r => r.Route == DiscordRoutes.CreateMessage).ToList();
        Assert.Equal([429, 200], calls.Select(r => r.Status));
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromMilliseconds(250), "the retry came before retry_after");
    }

    [Fact]
    public async Task A_global_429_pauses_every_request()
    {
        _fake.FailNext(DiscordRoutes.Any, DiscordRestFault.GlobalRateLimited(0.4));

        await _api.CreateMessageAsync(_fake.Options.GuildChannelId, Message("one"), CancellationToken.None);
        await _api.GetGatewayBotAsync(CancellationToken.None);

        var calls = _fake.Requests.ToList();
        Assert.Equal(429, calls[0].Status);
        Assert.All(calls.Skip(1), r => Assert.True(r.At - calls[0].At >= TimeSpan.FromMilliseconds(350)));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_server_error_is_retried_for_a_call_that_is_safe_to_repeat(int status)
    {
        _fake.FailNext(DiscordRoutes.GetGatewayBot, DiscordRestFault.ServerError(status));

        var info = await _api.GetGatewayBotAsync(CancellationToken.None);

        Assert.Equal(_fake.GatewayUrl, info.Url);
        Assert.Equal([status, 200], _fake.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_server_error_is_not_retried_for_a_message_without_a_nonce()
    {
        _fake.FailNext(DiscordRoutes.CreateMessage, DiscordRestFault.ServerError(500));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => _api.CreateMessageAsync(_fake.Options.GuildChannelId, Message("once"), CancellationToken.None));

        Assert.Equal(500, (int)error.Status);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_for_a_call_that_is_safe_to_repeat()
    {
        _fake.FailNext(DiscordRoutes.GetGatewayBot, DiscordRestFault.ResetConnection);

        var info = await _api.GetGatewayBotAsync(CancellationToken.None);

        Assert.Equal(_fake.GatewayUrl, info.Url);
        Assert.Equal(2, _fake.Requests.Count(r => r.Route == DiscordRoutes.GetGatewayBot));
    }

    [Fact]
    public async Task A_dropped_connection_is_not_retried_for_a_message_without_a_nonce()
    {
        _fake.FailNext(DiscordRoutes.CreateMessage, DiscordRestFault.ResetConnection);

        await Assert.ThrowsAsync<HttpRequestException>(() => _api.CreateMessageAsync(_fake.Options.GuildChannelId, Message("once"), CancellationToken.None));

        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task After_a_401_no_further_request_is_sent()
    {
        _fake.FailNext(DiscordRoutes.Any, DiscordRestFault.Unauthorized);

        await Assert.ThrowsAsync<DiscordRestException>(() => _api.GetGatewayBotAsync(CancellationToken.None));
        await Assert.ThrowsAsync<DiscordRestException>(() => _api.GetGatewayBotAsync(CancellationToken.None));

        Assert.True(_rest.Unauthorized);
        Assert.Single(_fake.Requests);
        Assert.Equal(0, _fake.RequestsAfterUnauthorized);
    }

    [Fact]
    public async Task The_bots_own_reaction_goes_out_percent_encoded_and_comes_back_as_a_gateway_event()
    {
        var message = await _api.CreateMessageAsync(_fake.Options.GuildChannelId, Message("react to me"), CancellationToken.None);

        await _api.AddOwnReactionAsync(_fake.Options.GuildChannelId, (string)message["id"]!, "👍", CancellationToken.None);

        var reaction = await _fake.WaitForReactionAsync(r => r.Added, Patience);
        Assert.Equal("👍", reaction.Emoji);
        Assert.Contains("%F0%9F%91%8D", _fake.Requests[^1].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discords_error_code_and_message_reach_the_caller()
    {
        _fake.FailNext(DiscordRoutes.CreateMessage, DiscordRestFault.ApiError(403, 50013, "Missing Permissions"));

        var error = await Assert.ThrowsAsync<DiscordRestException>(() => _api.CreateMessageAsync(_fake.Options.GuildChannelId, Message("x"), CancellationToken.None));

        Assert.Equal((50013, "Missing Permissions"), (error.Code, error.DiscordMessage));
    }
}
