using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>What the fake knows about chats: their types, message ids, the bot's messages and issued callback queries.</summary>
internal sealed class ChatBook(FakeTelegramOptions options, long botUserId)
{
    // Supergroup and channel ids start with -100 followed by ten or more digits.
    private const long SupergroupIdBound = -1_000_000_000_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<long, KnownChat> _chats = [];
    private readonly Dictionary<long, long> _lastMessageId = [];
    private readonly Dictionary<(long Chat, long Message), BotMessage> _botMessages = [];
    private readonly Dictionary<string, IssuedQuery> _queries = [];
    private long _queriesIssued;

    public DateTimeOffset Now => options.Clock.GetUtcNow();

    public long UnixNow => Now.ToUnixTimeSeconds();

    public void Remember(long chatId, string type, string name)
    {
        lock (_gate)
        {
            _chats[chatId] = new KnownChat(type, name);
        }
    }

    /// <summary>The chat object Telegram puts in messages: title for groups, first_name for private chats.</summary>
    public JsonObject ChatJson(long chatId)
    {
        KnownChat chat;
        lock (_gate)
        {
            chat = _chats.GetValueOrDefault(chatId) ?? Infer(chatId);
        }

        var json = new JsonObject { ["id"] = chatId, ["type"] = chat.Type };
        json[chat.Type == "private" ? "first_name" : "title"] = chat.Name;
        return json;
    }

    public JsonObject BotUserJson() => new()
    {
        ["id"] = botUserId,
        ["is_bot"] = true,
        ["first_name"] = options.BotFirstName,
        ["username"] = options.BotUsername,
    };

    public static JsonObject UserJson(long userId, string firstName) => new()
    {
        ["id"] = userId,
        ["is_bot"] = false,
        ["first_name"] = firstName,
    };

    /// <summary>Message ids count up per chat and are shared by users' and the bot's messages, as on Telegram.</summary>
    public long NextMessageId(long chatId)
    {
        lock (_gate)
        {
            var next = _lastMessageId.GetValueOrDefault(chatId) + 1;
            _lastMessageId[chatId] = next;
            return next;
        }
    }

    public bool Exists(long chatId, long messageId)
    {
        lock (_gate)
        {
            return messageId >= 1 && messageId <= _lastMessageId.GetValueOrDefault(chatId);
        }
    }

    public void Store(BotMessage message)
    {
        lock (_gate)
        {
            _botMessages[(message.ChatId, message.MessageId)] = message;
        }
    }

    public BotMessage? FindBotMessage(long chatId, long messageId)
    {
        lock (_gate)
        {
            return _botMessages.GetValueOrDefault((chatId, messageId));
        }
    }

    /// <summary>The Message object Telegram returns for a bot's message.</summary>
    public JsonObject MessageJson(BotMessage message)
    {
        var json = new JsonObject
        {
            ["message_id"] = message.MessageId,
            ["from"] = BotUserJson(),
            ["chat"] = ChatJson(message.ChatId),
            ["date"] = message.Date,
        };
        if (message.EditDate is { } edited)
        {
            json["edit_date"] = edited;
        }

        json["text"] = message.PlainText;
        if (JsonNode.Parse(message.EntitiesJson) is JsonArray { Count: > 0 } entities)
        {
            json["entities"] = entities;
        }

        if (message.MarkupJson is not null)
        {
            json["reply_markup"] = JsonNode.Parse(message.MarkupJson);
        }

        return json;
    }

    /// <summary>A fresh callback query id, numeric text like Telegram's.</summary>
    public string IssueCallbackQuery()
    {
        lock (_gate)
        {
            _queriesIssued++;
            var id = (4_000_000_000_000_000_000 + _queriesIssued).ToString(CultureInfo.InvariantCulture);
            _queries[id] = new IssuedQuery(Now);
            return id;
        }
    }

    /// <summary>Marks the query answered when it is known, unanswered and young enough.</summary>
    public bool TryAnswer(string callbackQueryId)
    {
        lock (_gate)
        {
            if (!_queries.TryGetValue(callbackQueryId, out var query) || query.Answered || Now - query.IssuedAt > options.CallbackQueryMaxAge)
            {
                return false;
            }

            _queries[callbackQueryId] = query with { Answered = true };
            return true;
        }
    }

    private static KnownChat Infer(long chatId) => chatId switch
    {
        > 0 => new KnownChat("private", "Test user"),
        <= SupergroupIdBound => new KnownChat("supergroup", "SpotMirror test supergroup"),
        _ => new KnownChat("group", "SpotMirror test group"),
    };

    private sealed record KnownChat(string Type, string Name);

    private sealed record IssuedQuery(DateTimeOffset IssuedAt, bool Answered = false);
}

/// <summary>The current state of a message the bot sent; JSON parts are kept as text so every read gets its own nodes.</summary>
internal sealed record BotMessage(long ChatId, long MessageId, long Date, string PlainText, string EntitiesJson, string? MarkupJson, long? EditDate);
