using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SpotMirror.Testing.Telegram;

/// <summary>The bot-level methods: identity, webhook, commands, callback answers and reactions.</summary>
internal sealed partial class BotMethods(ChatBook chats, UpdateQueue updates, Recorder recorder, WebhookPush webhook)
{
    private const int MaxCommands = 100;
    private const int MaxCallbackAnswerLength = 200;
    private const int MaxInlineResults = 50;
    private const int MaxInlineResultIdBytes = 64;
    private const int MaxMessageLength = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonArray> _commandsByScope = [];

    public ApiResult GetMe(JsonObject args)
    {
        var me = chats.BotUserJson();
        me["can_join_groups"] = true;
        me["can_read_all_group_messages"] = false;
        me["supports_inline_queries"] = false;
        return ApiResult.Ok(me);
    }

    public ApiResult DeleteWebhook(JsonObject args)
    {
        webhook.Set(null);
        if (JsonArgs.Bool(args, "drop_pending_updates"))
        {
            updates.DropPending();
        }

        return ApiResult.Ok(true);
    }

    /// <summary>An empty url removes the webhook; the fake takes http too, since it has no certificate to check on loopback.</summary>
    public ApiResult SetWebhook(JsonObject args)
    {
        var url = JsonArgs.String(args, "url") ?? string.Empty;
        if (url.Length == 0)
        {
            return DeleteWebhook(args);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return ApiResult.BadRequest("bad webhook: An HTTPS URL must be provided for webhook");
        }

        var secret = JsonArgs.String(args, "secret_token");
        if (secret is not null && !SecretToken().IsMatch(secret))
        {
            return ApiResult.BadRequest("bad webhook: secret token contains unallowed characters");
        }

        IReadOnlyList<string>? allowed = args["allowed_updates"] is JsonArray list ? [.. list.Select(n => n?.GetValue<string>() ?? string.Empty)] : null;
        if (JsonArgs.Bool(args, "drop_pending_updates"))
        {
            updates.DropPending();
        }

        webhook.Set(new WebhookTarget(url, secret, allowed ?? webhook.Target?.AllowedUpdates));
        return ApiResult.Ok(true);
    }

    public ApiResult GetWebhookInfo(JsonObject args)
    {
        var target = webhook.Target;
        var info = new JsonObject
        {
            ["url"] = target?.Url ?? string.Empty,
            ["has_custom_certificate"] = false,
            ["pending_update_count"] = updates.PendingCount,
        };
        if (target is not null)
        {
            info["max_connections"] = 40;
            if (target.AllowedUpdates is { } allowed)
            {
                info["allowed_updates"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]);
            }
        }

        return ApiResult.Ok(info);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretToken();

    public ApiResult SetMyCommands(JsonObject args)
    {
        if (args["commands"] is not JsonArray commands)
        {
            return ApiResult.BadRequest("parameter \"commands\" is required");
        }

        if (commands.Count > MaxCommands)
        {
            return ApiResult.BadRequest("BOT_COMMANDS_TOO_MUCH");
        }

        var entries = new List<BotCommandEntry>();
        foreach (var item in commands)
        {
            var command = item is JsonObject fields ? JsonArgs.String(fields, "command") : null;
            var description = item is JsonObject described ? JsonArgs.String(described, "description") : null;
            if (command is null || !CommandName().IsMatch(command))
            {
                return ApiResult.BadRequest("BOT_COMMAND_INVALID");
            }

            if (description is not { Length: >= 1 and <= 256 })
            {
                return ApiResult.BadRequest("BOT_COMMAND_DESCRIPTION_INVALID");
            }

            entries.Add(new BotCommandEntry(command, description));
        }

        var scope = args["scope"]?.DeepClone();
        var language = JsonArgs.String(args, "language_code");
        lock (_gate)
        {
            _commandsByScope[ScopeKey(scope, language)] = (JsonArray)commands.DeepClone();
        }

        recorder.Commands.Add(new CommandSet(entries, scope, language));
        return ApiResult.Ok(true);
    }

    public ApiResult GetMyCommands(JsonObject args)
    {
        var key = ScopeKey(args["scope"], JsonArgs.String(args, "language_code"));
        lock (_gate)
        {
            return ApiResult.Ok(_commandsByScope.TryGetValue(key, out var commands) ? commands.DeepClone() : new JsonArray());
        }
    }

    public ApiResult AnswerCallbackQuery(JsonObject args)
    {
        var id = JsonArgs.String(args, "callback_query_id") ?? string.Empty;
        var text = JsonArgs.String(args, "text");
        if (text is { Length: > MaxCallbackAnswerLength })
        {
            return ApiResult.BadRequest("MESSAGE_TOO_LONG");
        }

        if (!chats.TryAnswer(id))
        {
            return ApiResult.BadRequest("query is too old and response timeout expired or query ID is invalid");
        }

        recorder.CallbackAnswers.Add(new CallbackAnswer(id, text, JsonArgs.Bool(args, "show_alert"), JsonArgs.String(args, "url"), chats.Now));
        return ApiResult.Ok(true);
    }

    /// <summary>Checks results as Telegram does: at most 50, ids of 1-64 bytes and unique, each article titled and with text to send.</summary>
    public ApiResult AnswerInlineQuery(JsonObject args)
    {
        var id = JsonArgs.String(args, "inline_query_id") ?? string.Empty;
        if (args["results"] is not JsonArray results)
        {
            return ApiResult.BadRequest("parameter \"results\" is required");
        }

        if (results.Count > MaxInlineResults)
        {
            return ApiResult.BadRequest("RESULTS_TOO_MUCH");
        }

        var articles = new List<InlineArticle>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in results)
        {
            if (InlineArticleOf(item, ids, out var article) is { } error)
            {
                return ApiResult.BadRequest(error);
            }

            articles.Add(article!);
        }

        if (!chats.TryAnswer(id))
        {
            return ApiResult.BadRequest("query is too old and response timeout expired or query ID is invalid");
        }

        recorder.InlineAnswers.Add(new InlineAnswer(id, articles, JsonArgs.Long(args, "cache_time"), chats.Now));
        return ApiResult.Ok(true);
    }

    // The fake speaks only the article result type, which is all the bot sends.
    private static string? InlineArticleOf(JsonNode? item, HashSet<string> ids, out InlineArticle? article)
    {
        article = null;
        if (item is not JsonObject fields || JsonArgs.String(fields, "type") != "article")
        {
            return "RESULT_TYPE_INVALID";
        }

        var resultId = JsonArgs.String(fields, "id");
        if (resultId is null || System.Text.Encoding.UTF8.GetByteCount(resultId) is < 1 or > MaxInlineResultIdBytes)
        {
            return "RESULT_ID_INVALID";
        }

        if (!ids.Add(resultId))
        {
            return "RESULT_ID_DUPLICATE";
        }

        var title = JsonArgs.String(fields, "title");
        if (string.IsNullOrWhiteSpace(title))
        {
            return "RESULT_TITLE_EMPTY";
        }

        var text = fields["input_message_content"] is JsonObject content ? JsonArgs.String(content, "message_text") : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "MESSAGE_EMPTY";
        }

        if (text.Length > MaxMessageLength)
        {
            return "MESSAGE_TOO_LONG";
        }

        article = new InlineArticle(resultId, title, text, JsonArgs.String(fields, "description"));
        return null;
    }

    public ApiResult SetMessageReaction(JsonObject args)
    {
        if (JsonArgs.Long(args, "chat_id") is not { } chatId || JsonArgs.Long(args, "message_id") is not { } messageId)
        {
            return ApiResult.BadRequest("message to react not found");
        }

        var reactions = args["reaction"] as JsonArray ?? [];

        // A bot may set one reaction, a standard emoji; custom and paid reactions are refused.
        if (reactions.Count > 1)
        {
            return ApiResult.BadRequest("REACTION_INVALID");
        }

        var emoji = new List<string>();
        foreach (var reaction in reactions)
        {
            var fields = reaction as JsonObject;
            var value = fields is null ? null : JsonArgs.String(fields, "emoji");
            if (fields is null || JsonArgs.String(fields, "type") != "emoji" || value is null || !ReactionEmoji.Allowed.Contains(value))
            {
                return ApiResult.BadRequest("REACTION_INVALID");
            }

            emoji.Add(value);
        }

        recorder.Reactions.Add(new BotReaction(chatId, messageId, emoji, JsonArgs.Bool(args, "is_big")));
        return ApiResult.Ok(true);
    }

    // Commands are stored per scope (type plus its chat and user) and language, as Telegram keeps them.
    private static string ScopeKey(JsonNode? scope, string? language)
    {
        var fields = scope as JsonObject ?? [];
        var type = JsonArgs.String(fields, "type") ?? "default";
        return $"{type}|{JsonArgs.Long(fields, "chat_id")}|{JsonArgs.Long(fields, "user_id")}|{language}";
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandName();
}
