using System.Net;
using System.Text.Json.Nodes;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.FakeServer;

/// <summary>Channel messages, the bot's own reactions and command registration, refused where Discord refuses them.</summary>
public sealed class FakeMessageTests
{
    private static readonly DateTimeOffset Start = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_percent_encoded_reaction_is_decoded_and_echoed_on_the_gateway_as_the_bots()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);
        var messageId = await PostAsync(rest, fake);

        var answer = await rest.PutAsync($"/channels/{fake.Options.GuildChannelId}/messages/{messageId}/reactions/%F0%9F%91%8D/@me");
        var echo = await client.ReceiveAsync();

        Assert.Equal(HttpStatusCode.NoContent, answer.Status);
        Assert.Equal("👍", Assert.Single(fake.Reactions).Emoji);
        Assert.Equal("MESSAGE_REACTION_ADD", (string?)echo["t"]);
        Assert.Equal(fake.BotUserId, (string?)echo["d"]!["user_id"]);
        Assert.Equal("👍", (string?)echo["d"]!["emoji"]!["name"]);
        Assert.Equal(fake.BotUserId, (string?)echo["d"]!["message_author_id"]);
        Assert.EndsWith("/reactions/%F0%9F%91%8D/@me", fake.Requests[^1].Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("%F0%9F%A6%96")]
    [InlineData("%25F0%259F%2591%258D")]
    [InlineData("thumbsup")]
    [InlineData("spotmirror%3A1300000000000000555")]
    public async Task Unknown_or_double_encoded_emoji_are_refused_with_10014(string emoji)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);
        var messageId = await PostAsync(rest, fake);

        var answer = await rest.PutAsync($"/channels/{fake.Options.GuildChannelId}/messages/{messageId}/reactions/{emoji}/@me");

        Assert.Equal((HttpStatusCode.BadRequest, 10014), (answer.Status, answer.Code));
        Assert.Equal("Unknown Emoji", (string?)answer.Json["message"]);
    }

    [Fact]
    public async Task A_known_custom_emoji_is_accepted_as_name_and_id()
    {
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { CustomEmoji = ["spotmirror:1300000000000000555"] });
        using var rest = new RestScript(fake);
        var messageId = await PostAsync(rest, fake);

        var answer = await rest.PutAsync($"/channels/{fake.Options.GuildChannelId}/messages/{messageId}/reactions/spotmirror%3A1300000000000000555/@me");

        Assert.Equal(HttpStatusCode.NoContent, answer.Status);
    }

    [Theory]
    [InlineData("content", 2000, true)]
    [InlineData("content", 2001, false)]
    [InlineData("title", 256, true)]
    [InlineData("title", 257, false)]
    [InlineData("description", 4097, false)]
    [InlineData("fields", 25, true)]
    [InlineData("fields", 26, false)]
    [InlineData("field_value", 1025, false)]
    [InlineData("footer", 2049, false)]
    [InlineData("author", 257, false)]
    [InlineData("embeds", 10, true)]
    [InlineData("embeds", 11, false)]
    [InlineData("total", 6001, false)]
    [InlineData("rows", 5, true)]
    [InlineData("rows", 6, false)]
    [InlineData("buttons", 6, false)]
    [InlineData("custom_id", 100, true)]
    [InlineData("custom_id", 101, false)]
    public async Task Message_limits_are_discords(string what, int size, bool accepted)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var answer = await rest.PostAsync($"/channels/{fake.Options.GuildChannelId}/messages", MessageOf(what, size));

        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(accepted ? -1 : 50035, answer.Code);
    }

    [Theory]
    [InlineData("{\"content\":\"x\",\"components\":[{\"type\":1,\"components\":[{\"type\":2,\"style\":1,\"label\":\"a\",\"custom_id\":\"same\"},{\"type\":2,\"style\":1,\"label\":\"b\",\"custom_id\":\"same\"}]}]}", 50035)]
    [InlineData("{\"content\":\"x\",\"allowedMentions\":{\"parse\":[]}}", 50035)]
    [InlineData("{\"content\":\"x\",\"flags\":64}", 50035)]
    [InlineData("{\"content\":\"  \"}", 50006)]
    [InlineData("{}", 50006)]
    public async Task Malformed_messages_are_refused(string body, int code)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var answer = await rest.PostAsync($"/channels/{fake.Options.GuildChannelId}/messages", JsonNode.Parse(body)!);

        Assert.Equal((HttpStatusCode.BadRequest, code), (answer.Status, answer.Code));
        Assert.Empty(fake.Messages);
    }

    [Fact]
    public async Task A_message_to_an_unknown_channel_is_refused()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var answer = await rest.PostAsync($"/channels/{fake.GuildId}/messages", new JsonObject { ["content"] = "hi" });

        Assert.Equal((HttpStatusCode.NotFound, 10003), (answer.Status, answer.Code));
    }

    [Fact]
    public async Task Commands_are_echoed_with_ids_that_survive_an_overwrite()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var (client, _) = await GatewayScript.IdentifiedAsync(fake);
        await using var _ = client;
        using var rest = new RestScript(fake);

        var first = await rest.PutAsync($"/applications/{fake.ApplicationId}/commands", ValidCommands());
        var second = await rest.PutAsync($"/applications/{fake.ApplicationId}/guilds/{fake.GuildId}/commands", ValidCommands());
        var again = await rest.PutAsync($"/applications/{fake.ApplicationId}/commands", ValidCommands());

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(["mood", "group"], first.Body!.AsArray().Select(c => (string?)c!["name"]));
        Assert.Equal((string?)first.Body![0]!["id"], (string?)again.Body![0]!["id"]);
        Assert.Equal(fake.GuildId, (string?)second.Body![0]!["guild_id"]);
        Assert.Equal(3, fake.CommandRegistrations.Count);
        var interaction = fake.SlashCommand("mood");
        Assert.Equal((string?)second.Body![0]!["id"], (string?)interaction.Payload["data"]!["id"]);
    }

    [Theory]
    [InlineData("upper_name")]
    [InlineData("space_name")]
    [InlineData("long_name")]
    [InlineData("no_description")]
    [InlineData("long_description")]
    [InlineData("too_many_options")]
    [InlineData("too_many_choices")]
    [InlineData("choices_with_autocomplete")]
    [InlineData("required_after_optional")]
    [InlineData("camel_case_field")]
    public async Task Invalid_commands_are_refused_with_invalid_form_body(string mistake)
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        using var rest = new RestScript(fake);

        var answer = await rest.PutAsync($"/applications/{fake.ApplicationId}/commands", new JsonArray(CommandWith(mistake)));

        Assert.Equal((HttpStatusCode.BadRequest, 50035), (answer.Status, answer.Code));
        Assert.True(answer.Json["errors"]!.AsObject().ContainsKey("0"));
        Assert.Empty(fake.CommandRegistrations);
    }

    private static async Task<string> PostAsync(RestScript rest, FakeDiscordServer fake)
    {
        var sent = await rest.PostAsync($"/channels/{fake.Options.GuildChannelId}/messages", new JsonObject { ["content"] = "Picks" });
        return (string)sent.Json["id"]!;
    }

    private static JsonObject MessageOf(string what, int size)
    {
        var text = new string('x', size);
        JsonObject Embed(JsonObject fields) => new() { ["embeds"] = new JsonArray(fields) };
        return what switch
        {
            "content" => new JsonObject { ["content"] = text },
            "title" => Embed(new JsonObject { ["title"] = text }),
            "description" => Embed(new JsonObject { ["description"] = text }),
            "fields" => Embed(new JsonObject { ["fields"] = new JsonArray([.. Enumerable.Range(0, size).Select(i => (JsonNode)new JsonObject { ["name"] = $"n{i}", ["value"] = "v" })]) }),
            "field_value" => Embed(new JsonObject { ["fields"] = new JsonArray(new JsonObject { ["name"] = "n", ["value"] = text }) }),
            "footer" => Embed(new JsonObject { ["footer"] = new JsonObject { ["text"] = text } }),
            "author" => Embed(new JsonObject { ["author"] = new JsonObject { ["name"] = text } }),
            "embeds" => new JsonObject { ["embeds"] = new JsonArray([.. Enumerable.Range(0, size).Select(i => (JsonNode)new JsonObject { ["title"] = $"t{i}" })]) },
            "total" => new JsonObject
            {
                ["embeds"] = new JsonArray(
                    new JsonObject { ["description"] = new string('a', 4000) },
                    new JsonObject { ["description"] = new string('b', size - 4000) }),
            },
            "rows" => new JsonObject { ["content"] = "x", ["components"] = RestScript.ButtonRows(size, 1) },
            "buttons" => new JsonObject { ["content"] = "x", ["components"] = RestScript.ButtonRows(1, size) },
            "custom_id" => new JsonObject
            {
                ["content"] = "x",
                ["components"] = new JsonArray(new JsonObject
                {
                    ["type"] = 1,
                    ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["style"] = 1, ["label"] = "a", ["custom_id"] = text }),
                }),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };
    }

    private static JsonArray ValidCommands() => (JsonArray)JsonNode.Parse("""
        [{"name":"mood","type":1,"description":"Tracks for a mood","contexts":[0,1],"options":[
          {"type":3,"name":"mood","description":"A mood, words or an emoji","required":true,"max_length":100,"autocomplete":true},
          {"type":4,"name":"count","description":"How many tracks","min_value":1,"max_value":10}]},
         {"name":"group","type":1,"description":"A playlist for everyone here","options":[
          {"type":3,"name":"strategy","description":"How tastes are combined","choices":[{"name":"Fair","value":"fair"},{"name":"Average","value":"average"}]}]}]
        """)!;

    private static JsonObject CommandWith(string mistake)
    {
        var command = (JsonObject)ValidCommands()[0]!.DeepClone();
        var options = command["options"]!.AsArray();
        var mood = options[0]!.AsObject();
        switch (mistake)
        {
            case "upper_name": command["name"] = "Mood"; break;
            case "space_name": command["name"] = "my mood"; break;
            case "long_name": command["name"] = new string('m', 33); break;
            case "no_description": command.Remove("description"); break;
            case "long_description": command["description"] = new string('d', 101); break;
            case "too_many_options":
                for (var i = 0; i < 24; i++)
                {
                    options.Add(new JsonObject { ["type"] = 5, ["name"] = $"flag{i}", ["description"] = "A flag" });
                }

                break;
            case "too_many_choices":
                mood.Remove("autocomplete");
                mood["choices"] = new JsonArray([.. Enumerable.Range(0, 26).Select(i => (JsonNode)new JsonObject { ["name"] = $"c{i}", ["value"] = $"c{i}" })]);
                break;
            case "choices_with_autocomplete": mood["choices"] = new JsonArray(new JsonObject { ["name"] = "Chill", ["value"] = "chill" }); break;
            case "required_after_optional": options[1]!["required"] = true; mood["required"] = false; break;
            case "camel_case_field": mood["maxLength"] = 100; break;
        }

        return command;
    }
}
