using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>Builds INTERACTION_CREATE and MESSAGE_REACTION_* payloads the way Discord shapes them, and dispatches them.</summary>
internal sealed class DispatchScripts(
    FakeDiscordOptions options,
    GatewayHub hub,
    InteractionBook interactions,
    MessageBook messages,
    CommandRegistry commands,
    Snowflakes ids)
{
    private const string Joined = "2025-01-01T00:00:00.000000+00:00";

    public DiscordPlace InGuild => new(options.GuildId, options.GuildChannelId, options.UserId, options.Username);

    public DiscordPlace InDm => new(null, options.DmChannelId, options.UserId, options.Username);

    public ScriptedInteraction SlashCommand(string name, IReadOnlyList<JsonObject> commandOptions, DiscordPlace place) =>
        Issue(2, place, CommandData(name, commandOptions, place), message: null, focusedType: null);

    public ScriptedInteraction Autocomplete(string name, IReadOnlyList<JsonObject> commandOptions, DiscordPlace place)
    {
        var focused = Focused(commandOptions).ToList();
        if (focused.Count != 1)
        {
            throw new ArgumentException("An autocomplete interaction has exactly one option with focused:true (see CommandOption).", nameof(commandOptions));
        }

        return Issue(4, place, CommandData(name, commandOptions, place), message: null, DiscordJson.Integer(focused[0]["type"]));
    }

    /// <param name="place">By default the message's own channel, with the default user.</param>
    public ScriptedInteraction ButtonClick(string messageId, string customId, DiscordPlace? place)
    {
        var known = messages.Find(messageId);
        place ??= known is null ? InGuild : InGuild with { GuildId = known.GuildId, ChannelId = known.ChannelId };
        var message = known?.Message.DeepClone() as JsonObject ?? new JsonObject
        {
            ["id"] = messageId,
            ["channel_id"] = place.ChannelId,
            ["type"] = 0,
            ["author"] = messages.BotUser(),
            ["content"] = string.Empty,
            ["embeds"] = new JsonArray(),
            ["components"] = new JsonArray(),
            ["flags"] = 0,
        };
        var data = new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
        return Issue(3, place, data, message, focusedType: null);
    }

    /// <param name="messageAuthorId">By default the bot when the fake knows the message as the bot's, otherwise left out.</param>
    public long Reaction(bool add, DiscordPlace? place, string messageId, DiscordEmoji emoji, string? messageAuthorId)
    {
        var known = messages.Find(messageId);
        place ??= known is null ? InGuild : InGuild with { GuildId = known.GuildId, ChannelId = known.ChannelId };
        messages.KnowChannel(place.ChannelId, place.GuildId);
        var payload = new JsonObject
        {
            ["user_id"] = place.UserId,
            ["channel_id"] = place.ChannelId,
            ["message_id"] = messageId,
            ["emoji"] = emoji.ToJson(),
            ["burst"] = false,
            ["type"] = 0,
        };
        if (place.GuildId is not null)
        {
            payload["guild_id"] = place.GuildId;
        }

        if (add)
        {
            payload["burst_colors"] = new JsonArray();
            if ((messageAuthorId ?? (known is null ? null : options.BotUserId)) is { } author)
            {
                payload["message_author_id"] = author;
            }

            if (place.GuildId is not null)
            {
                payload["member"] = Member(User(place));
            }
        }

        return hub.Dispatch(add ? "MESSAGE_REACTION_ADD" : "MESSAGE_REACTION_REMOVE", payload);
    }

    private ScriptedInteraction Issue(int type, DiscordPlace place, JsonObject data, JsonObject? message, long? focusedType)
    {
        messages.KnowChannel(place.ChannelId, place.GuildId);
        var id = ids.Next();
        var token = Snowflakes.Token(id);
        var user = User(place);
        var payload = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = options.ApplicationId,
            ["type"] = type,
            ["data"] = data,
            ["token"] = token,
            ["version"] = 1,
            ["channel_id"] = place.ChannelId,
            ["channel"] = new JsonObject { ["id"] = place.ChannelId, ["type"] = place.IsDm ? 1 : 0 },
            ["app_permissions"] = "2248473465835073",
            ["locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["attachment_size_limit"] = 10485760,
            ["context"] = place.IsDm ? 1 : 0,
            ["authorizing_integration_owners"] = new JsonObject { ["0"] = place.GuildId ?? "0" },
        };
        if (place.GuildId is { } guildId)
        {
            payload["guild_id"] = guildId;
            payload["guild"] = new JsonObject { ["id"] = guildId, ["locale"] = "en-US", ["features"] = new JsonArray() };
            payload["guild_locale"] = "en-US";
            payload["member"] = Member(user.DeepClone());
        }
        else
        {
            payload["user"] = user.DeepClone();
        }

        if (message is not null)
        {
            payload["message"] = message;
        }

        var messageId = message is null ? null : DiscordJson.String(message, "id");
        interactions.Issue(new IssuedInteraction(id, token, type, place, user, options.Clock.GetUtcNow(), messageId, focusedType));
        var sequence = hub.Dispatch("INTERACTION_CREATE", payload);
        return new ScriptedInteraction(id, token, type, sequence, payload);
    }

    private JsonObject CommandData(string name, IReadOnlyList<JsonObject> commandOptions, DiscordPlace place)
    {
        var data = new JsonObject { ["id"] = commands.IdOf(name, place.GuildId), ["name"] = name, ["type"] = 1 };
        if (commandOptions.Count > 0)
        {
            data["options"] = new JsonArray([.. commandOptions.Select(o => o.DeepClone())]);
        }

        if (place.GuildId is { } guildId && commands.IsGuildCommand(name, guildId))
        {
            data["guild_id"] = guildId;
        }

        return data;
    }

    private static IEnumerable<JsonObject> Focused(IEnumerable<JsonObject> commandOptions)
    {
        foreach (var option in commandOptions)
        {
            if (DiscordJson.Boolean(option["focused"]) == true)
            {
                yield return option;
            }

            if (option["options"] is JsonArray nested)
            {
                foreach (var inner in Focused(nested.OfType<JsonObject>()))
                {
                    yield return inner;
                }
            }
        }
    }

    private static JsonObject User(DiscordPlace place) => new()
    {
        ["id"] = place.UserId,
        ["username"] = place.Username,
        ["discriminator"] = "0",
        ["global_name"] = place.Username,
        ["avatar"] = null,
        ["public_flags"] = 0,
    };

    private static JsonObject Member(JsonNode user) => new()
    {
        ["user"] = user,
        ["roles"] = new JsonArray(),
        ["joined_at"] = Joined,
        ["nick"] = null,
        ["deaf"] = false,
        ["mute"] = false,
        ["pending"] = false,
        ["permissions"] = "2248473465835073",
        ["flags"] = 0,
    };
}
