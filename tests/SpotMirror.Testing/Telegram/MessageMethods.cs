using System.Text;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>sendMessage and editMessageText, with Telegram's checks on text, entities and inline keyboards.</summary>
internal sealed class MessageMethods(ChatBook chats, RecordedLog<SentTelegramMessage> sent)
{
    private const int MaxTextLength = 4096;
    private const int MaxCallbackDataBytes = 64;

    // Fields that give an inline button something to do; a button with none of them is refused.
    private static readonly string[] ButtonActions =
        ["callback_data", "url", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
         "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay"];

    public ApiResult Send(JsonObject args)
    {
        if (JsonArgs.Long(args, "chat_id") is not { } chatId)
        {
            return ApiResult.BadRequest(args["chat_id"] is null ? "chat_id is empty" : "chat not found");
        }

        var reply = args["reply_parameters"] as JsonObject;
        var replyTo = reply is null ? null : JsonArgs.Long(reply, "message_id");
        if (replyTo is { } target && !chats.Exists(chatId, target) && !JsonArgs.Bool(reply!, "allow_sending_without_reply"))
        {
            return ApiResult.BadRequest("message to be replied not found");
        }

        var checkedText = Check(args);
        if (checkedText.Error is { } error)
        {
            return error;
        }

        var message = new BotMessage(
            chatId,
            chats.NextMessageId(chatId),
            chats.UnixNow,
            checkedText.Parsed.PlainText,
            checkedText.Parsed.Entities.ToJsonString(),
            checkedText.MarkupJson,
            EditDate: null);
        chats.Store(message);
        Record(message, args, checkedText, replyTo, edited: false);
        return ApiResult.Ok(chats.MessageJson(message));
    }

    public ApiResult Edit(JsonObject args)
    {
        if (args["inline_message_id"] is not null)
        {
            return ApiResult.BadRequest("the fake does not support inline messages");
        }

        if (JsonArgs.Long(args, "chat_id") is not { } chatId || JsonArgs.Long(args, "message_id") is not { } messageId)
        {
            return ApiResult.BadRequest("message identifier is not specified");
        }

        if (chats.FindBotMessage(chatId, messageId) is not { } current)
        {
            return ApiResult.BadRequest(chats.Exists(chatId, messageId) ? "message can't be edited" : "message to edit not found");
        }

        var checkedText = Check(args);
        if (checkedText.Error is { } error)
        {
            return error;
        }

        // Telegram drops the inline keyboard when an edit leaves reply_markup out.
        var edited = current with
        {
            PlainText = checkedText.Parsed.PlainText,
            EntitiesJson = checkedText.Parsed.Entities.ToJsonString(),
            MarkupJson = checkedText.MarkupJson,
            EditDate = chats.UnixNow,
        };
        if (edited with { EditDate = current.EditDate } == current)
        {
            return ApiResult.BadRequest(
                "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
        }

        chats.Store(edited);
        Record(edited, args, checkedText, replyTo: null, edited: true);
        return ApiResult.Ok(chats.MessageJson(edited));
    }

    private void Record(BotMessage message, JsonObject args, CheckedText checkedText, long? replyTo, bool edited) =>
        sent.Add(new SentTelegramMessage(
            message.ChatId,
            message.MessageId,
            JsonArgs.String(args, "text") ?? string.Empty,
            checkedText.Parsed.PlainText,
            JsonArgs.String(args, "parse_mode"),
            checkedText.MarkupJson is null ? null : JsonNode.Parse(checkedText.MarkupJson),
            replyTo,
            edited,
            chats.Now));

    private static CheckedText Check(JsonObject args)
    {
        var text = JsonArgs.String(args, "text") ?? string.Empty;
        var parseMode = JsonArgs.String(args, "parse_mode");
        ParsedText parsed;
        if (parseMode is null || parseMode.Equals("html", StringComparison.OrdinalIgnoreCase))
        {
            parsed = parseMode is null ? new ParsedText(text, [], null) : TelegramHtml.Parse(text);
        }
        else if (parseMode.Equals("markdown", StringComparison.OrdinalIgnoreCase)
                 || parseMode.Equals("markdownv2", StringComparison.OrdinalIgnoreCase))
        {
            // Markdown is not validated here; the project sends HTML.
            parsed = new ParsedText(text, [], null);
        }
        else
        {
            return CheckedText.Refused(ApiResult.BadRequest($"unsupported parse_mode \"{parseMode}\""));
        }

        if (parsed.Error is not null)
        {
            return CheckedText.Refused(ApiResult.BadRequest(parsed.Error));
        }

        if (string.IsNullOrWhiteSpace(parsed.PlainText))
        {
            return CheckedText.Refused(ApiResult.BadRequest("message text is empty"));
        }

        if (parsed.PlainText.Length > MaxTextLength)
        {
            return CheckedText.Refused(ApiResult.BadRequest("message is too long"));
        }

        var markup = args["reply_markup"];
        if (markup is JsonObject keyboard && CheckInlineKeyboard(keyboard) is { } keyboardError)
        {
            return CheckedText.Refused(keyboardError);
        }

        return new CheckedText(parsed, markup?.ToJsonString(ApiResult.Json), null);
    }

    private static ApiResult? CheckInlineKeyboard(JsonObject markup)
    {
        if (markup["inline_keyboard"] is not { } rows)
        {
            return null;
        }

        if (rows is not JsonArray rowArray || rowArray.Any(row => row is not JsonArray))
        {
            return ApiResult.BadRequest("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays");
        }

        // Telegram allows at most 8 buttons a row and 100 in all.
        if (rowArray.Cast<JsonArray>().Any(row => row.Count > 8) || rowArray.Cast<JsonArray>().Sum(row => row.Count) > 100)
        {
            return ApiResult.BadRequest("REPLY_MARKUP_TOO_LONG");
        }

        foreach (var button in rowArray.Cast<JsonArray>().SelectMany(row => row))
        {
            if (button is not JsonObject fields || string.IsNullOrEmpty(JsonArgs.String(fields, "text")))
            {
                return ApiResult.BadRequest("can't parse inline keyboard button: Text must be non-empty");
            }

            if (!ButtonActions.Any(fields.ContainsKey))
            {
                return ApiResult.BadRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
            }

            if (fields.ContainsKey("callback_data") && !IsValidCallbackData(JsonArgs.String(fields, "callback_data")))
            {
                return ApiResult.BadRequest("BUTTON_DATA_INVALID");
            }

            if (fields.ContainsKey("url") && !IsValidButtonUrl(JsonArgs.String(fields, "url")))
            {
                return ApiResult.BadRequest("BUTTON_URL_INVALID");
            }
        }

        return null;
    }

    // A URL button opens http(s) or tg:// addresses only.
    private static bool IsValidButtonUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "tg";

    private static bool IsValidCallbackData(string? data) =>
        data is not null && Encoding.UTF8.GetByteCount(data) is > 0 and <= MaxCallbackDataBytes;

    private sealed record CheckedText(ParsedText Parsed, string? MarkupJson, ApiResult? Error)
    {
        public static CheckedText Refused(ApiResult error) => new(new ParsedText(string.Empty, [], null), null, error);
    }
}
