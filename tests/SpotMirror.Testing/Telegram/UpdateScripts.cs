using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>Builds updates in the shapes Telegram sends and queues them.</summary>
internal sealed class UpdateScripts(ChatBook chats, UpdateQueue updates)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _messageIds = new();

    /// <summary>The message_id of the message a SendText update carried.</summary>
    public long MessageIdOf(long updateId) =>
        _messageIds.TryGetValue(updateId, out var id) ? id : throw new ArgumentException($"Update {updateId} was not a scripted text message.", nameof(updateId));

    public long SendText(long chatId, string chatType, long userId, string firstName, string text)
    {
        RememberChat(chatId, chatType, firstName);
        var messageId = chats.NextMessageId(chatId);
        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = ChatBook.UserJson(userId, firstName),
            ["chat"] = chats.ChatJson(chatId),
            ["date"] = chats.UnixNow,
            ["text"] = text,
        };
        if (text.StartsWith('/'))
        {
            // The command entity spans "/cmd" or "/cmd@BotName", up to the first whitespace.
            var end = text.AsSpan().IndexOfAny(' ', '\n', '\t');
            message["entities"] = new JsonArray(new JsonObject
            {
                ["offset"] = 0,
                ["length"] = end < 0 ? text.Length : end,
                ["type"] = "bot_command",
            });
        }

        var updateId = Enqueue("message", message);
        _messageIds[updateId] = messageId;
        return updateId;
    }

    public PressedButton PressButton(long chatId, string chatType, long messageId, long userId, string firstName, string data)
    {
        RememberChat(chatId, chatType, firstName);
        var queryId = chats.IssueCallbackQuery();
        var message = chats.FindBotMessage(chatId, messageId) is { } known
            ? chats.MessageJson(known)
            : new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = chats.BotUserJson(),
                ["chat"] = chats.ChatJson(chatId),
                ["date"] = chats.UnixNow,
            };
        var query = new JsonObject
        {
            ["id"] = queryId,
            ["from"] = ChatBook.UserJson(userId, firstName),
            ["message"] = message,
            ["chat_instance"] = ChatInstance(chatId),
            ["data"] = data,
        };
        return new PressedButton(Enqueue("callback_query", query), queryId);
    }

    public TypedInlineQuery InlineQuery(long userId, string firstName, string query)
    {
        var queryId = chats.IssueCallbackQuery();
        var payload = new JsonObject
        {
            ["id"] = queryId,
            ["from"] = ChatBook.UserJson(userId, firstName),
            ["query"] = query,
            ["offset"] = string.Empty,
            ["chat_type"] = "private",
        };
        return new TypedInlineQuery(Enqueue("inline_query", payload), queryId);
    }

    public long React(long chatId, string chatType, long messageId, long? userId, string? firstName, IEnumerable<string> oldEmoji, IEnumerable<string> newEmoji)
    {
        RememberChat(chatId, chatType, firstName ?? "Test user");
        var reaction = new JsonObject
        {
            ["chat"] = chats.ChatJson(chatId),
            ["message_id"] = messageId,
        };

        // An anonymous admin reacts as the chat itself.
        reaction[userId is null ? "actor_chat" : "user"] = userId is { } id
            ? ChatBook.UserJson(id, firstName ?? "Test user")
            : chats.ChatJson(chatId);
        reaction["date"] = chats.UnixNow;
        reaction["old_reaction"] = EmojiList(oldEmoji);
        reaction["new_reaction"] = EmojiList(newEmoji);
        return Enqueue("message_reaction", reaction);
    }

    public long ReactionCount(long chatId, long messageId, IEnumerable<(string Emoji, int Count)> reactions)
    {
        var counts = new JsonArray();
        foreach (var (emoji, count) in reactions)
        {
            counts.Add(new JsonObject { ["type"] = EmojiReaction(emoji), ["total_count"] = count });
        }

        return Enqueue("message_reaction_count", new JsonObject
        {
            ["chat"] = chats.ChatJson(chatId),
            ["message_id"] = messageId,
            ["date"] = chats.UnixNow,
            ["reactions"] = counts,
        });
    }

    /// <summary>Queues text as written, with "{id}" replaced by the assigned update_id.</summary>
    public long EnqueueRaw(string json) =>
        updates.Enqueue(id => json.Replace("{id}", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private long Enqueue(string type, JsonObject payload) =>
        updates.Enqueue(id => new JsonObject { ["update_id"] = id, [type] = payload }.ToJsonString(ApiResult.Json));

    private void RememberChat(long chatId, string chatType, string privateName) =>
        chats.Remember(chatId, chatType, chatType == "private" ? privateName : $"SpotMirror test {chatType}");

    private static JsonArray EmojiList(IEnumerable<string> emoji)
    {
        var list = new JsonArray();
        foreach (var e in emoji)
        {
            list.Add(EmojiReaction(e));
        }

        return list;
    }

    private static JsonObject EmojiReaction(string emoji) => new() { ["type"] = "emoji", ["emoji"] = emoji };

    // chat_instance is an opaque number per chat; deriving it from the chat id keeps it stable.
    private static string ChatInstance(long chatId) =>
        (chatId * 7919 % 1_000_000_000_000_000L).ToString(CultureInfo.InvariantCulture);
}
