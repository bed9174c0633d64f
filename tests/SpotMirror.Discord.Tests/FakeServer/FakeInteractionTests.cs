using System.Net;
using System.Text.Json.Nodes;
using SpotMirror.Testing;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.FakeServer;

/// <summary>Interaction callbacks and the webhook routes their tokens open, with Discord's deadlines.</summary>
public sealed class FakeInteractionTests
{
    private static readonly DateTimeOffset Start = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_interaction_is_acknowledged_once()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var interaction = fake.SlashCommand("mood", [CommandOption.OfString("mood", "chill")]);

        var first = await rest.CallbackAsync(interaction, 5);
        var second = await rest.CallbackAsync(interaction, 4, new JsonObject { ["content"] = "late" });

        Assert.Equal(HttpStatusCode.NoContent, first.Status);
        Assert.Equal((HttpStatusCode.BadRequest, 40060), (second.Status, second.Code));
        Assert.Equal("Interaction has already been acknowledged.", (string?)second.Json["message"]);
        var accepted = await fake.WaitForCallbackAsync(interaction.Id, TimeSpan.FromSeconds(5));
        Assert.Equal(5, accepted.Type);
        Assert.Equal([204, 400], fake.Callbacks.Select(c => c.Status));
    }

    [Fact]
    public async Task A_callback_after_three_seconds_is_an_unknown_interaction()
    {
        var clock = new ManualClock(Start);
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { Clock = clock });
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var interaction = fake.SlashCommand("recommend");

        clock.Advance(TimeSpan.FromSeconds(3.1));
        var answer = await rest.CallbackAsync(interaction, 5);

        Assert.Equal((HttpStatusCode.NotFound, 10062), (answer.Status, answer.Code));
        Assert.Equal(TimeSpan.FromSeconds(3.1), Assert.Single(fake.Callbacks).SinceDispatch);
    }

    [Fact]
    public async Task With_response_returns_the_created_message()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var interaction = fake.SlashCommand("help");

        var answer = await rest.CallbackAsync(interaction, 4, new JsonObject { ["content"] = "Try /mood" }, withResponse: true);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(interaction.Id, (string?)answer.Json["interaction"]!["id"]);
        Assert.Equal(4, (int)answer.Json["resource"]!["type"]!);
        Assert.Equal("Try /mood", (string?)answer.Json["resource"]!["message"]!["content"]);
        Assert.Equal((string?)answer.Json["interaction"]!["response_message_id"], (string?)answer.Json["resource"]!["message"]!["id"]);
    }

    [Fact]
    public async Task A_deferred_reply_is_completed_by_editing_the_original()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var interaction = fake.SlashCommand("mood", [CommandOption.OfString("mood", "chill")]);
        await rest.CallbackAsync(interaction, 5);

        var edited = await rest.PatchAsync($"/webhooks/{fake.ApplicationId}/{interaction.Token}/messages/@original", new JsonObject
        {
            ["content"] = "Chill picks",
            ["embeds"] = new JsonArray(new JsonObject { ["title"] = "1. Song", ["description"] = "Artist" }),
        });
        var fetched = await rest.GetAsync($"/webhooks/{fake.ApplicationId}/{interaction.Token}/messages/@original");

        Assert.Equal(HttpStatusCode.OK, edited.Status);
        Assert.Equal((string?)edited.Json["id"], (string?)fetched.Json["id"]);
        Assert.Equal("Chill picks", (string?)fetched.Json["content"]);
        Assert.Equal(fake.BotUserId, (string?)fetched.Json["author"]!["id"]);
        var message = await fake.WaitForMessageAsync(m => m.Content == "Chill picks", TimeSpan.FromSeconds(5));
        Assert.Equal((DiscordMessageAction.Edited, DiscordMessageSource.InteractionResponse, interaction.Id), (message.Action, message.Source, message.InteractionId));
        Assert.False(message.IsLoading);
        Assert.True(fake.Messages[0].IsLoading);
    }

    [Fact]
    public async Task After_a_defer_the_first_followup_fills_the_thinking_message()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var interaction = fake.SlashCommand("popular");
        await rest.CallbackAsync(interaction, 5, new JsonObject { ["flags"] = 64 });

        var first = await rest.PostAsync($"/webhooks/{fake.ApplicationId}/{interaction.Token}", new JsonObject { ["content"] = "one" });
        var second = await rest.PostAsync($"/webhooks/{fake.ApplicationId}/{interaction.Token}", new JsonObject { ["content"] = "two" });

        Assert.Equal(fake.Messages[0].Id, (string?)first.Json["id"]);
        Assert.Equal(64, (int)first.Json["flags"]!);
        Assert.NotEqual((string?)first.Json["id"], (string?)second.Json["id"]);
        Assert.Equal(DiscordMessageSource.Followup, fake.Messages[^1].Source);
    }

    [Fact]
    public async Task Webhook_routes_need_the_application_id_and_a_live_token()
    {
        var clock = new ManualClock(Start);
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { Clock = clock });
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var interaction = fake.SlashCommand("profile");
        await rest.CallbackAsync(interaction, 4, new JsonObject { ["content"] = "You like jazz" });
        var edit = new JsonObject { ["content"] = "edited" };

        var withBotId = await rest.PatchAsync($"/webhooks/{fake.BotUserId}/{interaction.Token}/messages/@original", edit);
        clock.Advance(TimeSpan.FromMinutes(16));
        var expired = await rest.PatchAsync($"/webhooks/{fake.ApplicationId}/{interaction.Token}/messages/@original", edit);

        Assert.Equal((HttpStatusCode.NotFound, 10015), (withBotId.Status, withBotId.Code));
        Assert.Equal((HttpStatusCode.Unauthorized, 50027), (expired.Status, expired.Code));
    }

    [Fact]
    public async Task A_button_click_carries_the_message_and_type_7_updates_it()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var sent = await rest.PostAsync($"/channels/{fake.Options.GuildChannelId}/messages", new JsonObject
        {
            ["content"] = "Picks",
            ["components"] = RestScript.ButtonRows(1, 2),
        });
        var messageId = (string)sent.Json["id"]!;

        var click = fake.ButtonClick(messageId, "b0-1");
        var payload = (await client.ReceiveAsync())["d"]!;
        var update = await rest.CallbackAsync(click, 7, new JsonObject { ["content"] = "Picks (liked 2)" });

        Assert.Equal(3, (int)payload["type"]!);
        Assert.Equal("b0-1", (string?)payload["data"]!["custom_id"]);
        Assert.Equal(messageId, (string?)payload["message"]!["id"]);
        Assert.Equal(HttpStatusCode.NoContent, update.Status);
        Assert.Equal("Picks (liked 2)", fake.Messages[^1].Content);
        Assert.Equal(DiscordMessageAction.Edited, fake.Messages[^1].Action);
    }

    [Fact]
    public async Task Autocomplete_takes_choices_and_nothing_else()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var typing = fake.Autocomplete("mood", [CommandOption.OfString("mood", "chi", focused: true)]);
        var typingMore = fake.Autocomplete("mood", [CommandOption.OfString("mood", "chil", focused: true)]);

        var wrongType = await rest.CallbackAsync(typing, 4, new JsonObject { ["content"] = "chill" });
        var choices = await rest.CallbackAsync(typingMore, 8, new JsonObject
        {
            ["choices"] = new JsonArray(new JsonObject { ["name"] = "chill", ["value"] = "chill" }),
        });

        Assert.Equal((HttpStatusCode.BadRequest, 50035), (wrongType.Status, wrongType.Code));
        Assert.Equal(HttpStatusCode.NoContent, choices.Status);
    }
}
