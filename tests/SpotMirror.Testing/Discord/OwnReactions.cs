using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// PUT and DELETE <c>/channels/{c}/messages/{m}/reactions/{emoji}/@me</c>. Like Discord, a change
/// is echoed on the gateway as MESSAGE_REACTION_ADD or _REMOVE with the bot's own user id.
/// </summary>
/// <param name="dispatch">Sends a dispatch on the current session; returns null when there is none.</param>
internal sealed class OwnReactions(FakeDiscordOptions options, MessageBook messages, RecordedLog<BotReaction> log, Func<string, JsonObject, long?> dispatch)
{
    private const int MaxDistinctReactions = 20;

    public RestResult Add(string channelId, string messageId, string emojiText) => Change(channelId, messageId, emojiText, add: true);

    public RestResult Remove(string channelId, string messageId, string emojiText) => Change(channelId, messageId, emojiText, add: false);

    private RestResult Change(string channelId, string messageId, string emojiText, bool add)
    {
        if (!messages.TryGetChannel(channelId, out var guildId))
        {
            return RestResult.Error(404, 10003, "Unknown Channel");
        }

        // Ephemeral messages cannot carry reactions; Discord does not even find them.
        if (messages.Find(messageId) is not { } message || message.ChannelId != channelId || (message.Flags & MessageRules.Ephemeral) != 0)
        {
            return RestResult.UnknownMessage;
        }

        var emoji = DiscordEmoji.FromRoute(emojiText);
        var key = emoji.Id is { } id ? $"{emoji.Name}:{id}" : DiscordReactionEmoji.Strip(emojiText);
        var known = emoji.Id is null ? DiscordReactionEmoji.IsKnown(emojiText) : options.CustomEmoji.Contains(key);
        if (!known)
        {
            return RestResult.UnknownEmoji;
        }

        bool changed;
        lock (message.BotReactions)
        {
            if (add && message.BotReactions.Count >= MaxDistinctReactions && !message.BotReactions.Contains(key))
            {
                return RestResult.Error(400, 30010, "Maximum number of reactions reached (20)");
            }

            changed = add ? message.BotReactions.Add(key) : message.BotReactions.Remove(key);
        }

        log.Add(new BotReaction(channelId, messageId, emojiText, add, options.Clock.GetUtcNow()));
        if (changed)
        {
            dispatch(add ? "MESSAGE_REACTION_ADD" : "MESSAGE_REACTION_REMOVE", Event(message, guildId, emoji, add));
        }

        return RestResult.NoContent;
    }

    private JsonObject Event(StoredMessage message, string? guildId, DiscordEmoji emoji, bool add)
    {
        var payload = new JsonObject
        {
            ["user_id"] = options.BotUserId,
            ["channel_id"] = message.ChannelId,
            ["message_id"] = message.Id,
            ["emoji"] = emoji.ToJson(),
            ["burst"] = false,
            ["type"] = 0,
        };
        if (guildId is not null)
        {
            payload["guild_id"] = guildId;
        }

        if (add)
        {
            payload["burst_colors"] = new JsonArray();
            payload["message_author_id"] = options.BotUserId;
            if (guildId is not null)
            {
                payload["member"] = new JsonObject { ["user"] = messages.BotUser(), ["roles"] = new JsonArray(), ["joined_at"] = "2025-01-01T00:00:00.000000+00:00", ["deaf"] = false, ["mute"] = false };
            }
        }

        return payload;
    }
}
