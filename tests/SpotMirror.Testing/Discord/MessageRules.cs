using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>Which request a message body arrived in; each allows its own fields and flags.</summary>
internal enum MessageBodyKind
{
    ChannelMessage,
    InteractionReply,
    InteractionUpdate,
    WebhookEdit,
    Followup,
}

/// <summary>
/// Discord's limits on message bodies: content, embeds, legacy components, flags, allowed mentions.
/// Field lists come from the request schemas of Discord's OpenAPI document; unknown fields are refused.
/// </summary>
internal static class MessageRules
{
    public const int SuppressEmbeds = 4;
    public const int Ephemeral = 64;
    public const int Loading = 128;
    public const int SuppressNotifications = 4096;
    public const int ComponentsV2 = 32768;

    private static readonly HashSet<string> ChannelFields =
        ["content", "embeds", "allowed_mentions", "sticker_ids", "components", "flags", "attachments", "poll", "shared_client_theme", "message_reference", "nonce", "enforce_nonce", "tts"];

    private static readonly HashSet<string> ReplyFields = ["content", "embeds", "allowed_mentions", "components", "attachments", "poll", "tts", "flags"];

    private static readonly HashSet<string> UpdateFields = ["content", "embeds", "allowed_mentions", "components", "attachments", "flags"];

    private static readonly HashSet<string> EditFields = ["content", "embeds", "allowed_mentions", "components", "attachments", "poll", "flags"];

    private static readonly HashSet<string> FollowupFields =
        ["content", "embeds", "allowed_mentions", "components", "attachments", "poll", "tts", "flags", "username", "avatar_url", "thread_name", "applied_tags"];

    private static readonly HashSet<string> EmbedFields =
        ["type", "url", "title", "color", "timestamp", "description", "author", "image", "thumbnail", "footer", "fields", "provider", "video"];

    private static readonly HashSet<string> MentionKinds = ["roles", "users", "everyone"];

    private static readonly string[] MentionLists = ["users", "roles"];

    private static readonly string[] BooleanFields = ["tts", "enforce_nonce"];

    /// <summary>Null when Discord would accept the body; otherwise the 400 it would send.</summary>
    /// <param name="prefix">Where the body sits in the request, e.g. "data." inside an interaction callback.</param>
    public static RestResult? Check(JsonObject body, MessageBodyKind kind, string prefix = "")
    {
        var errors = new FormErrors();
        var fields = kind switch
        {
            MessageBodyKind.ChannelMessage => ChannelFields,
            MessageBodyKind.InteractionReply => ReplyFields,
            MessageBodyKind.InteractionUpdate => UpdateFields,
            MessageBodyKind.WebhookEdit => EditFields,
            _ => FollowupFields,
        };
        errors.UnknownFields(body, fields, prefix);

        CheckContent(body["content"], prefix + "content", errors);
        var flags = CheckFlags(body["flags"], kind, prefix + "flags", errors);
        CheckEmbeds(body["embeds"], prefix + "embeds", errors);
        if (body["components"] is not null)
        {
            if ((flags & ComponentsV2) != 0)
            {
                errors.Add(prefix + "flags", "FAKE_UNSUPPORTED", "The fake checks only legacy components; IS_COMPONENTS_V2 is not supported.");
            }
            else
            {
                ComponentRules.Check(body["components"], prefix + "components", errors);
            }
        }

        CheckMentions(body["allowed_mentions"], prefix + "allowed_mentions", errors);
        CheckScalars(body, prefix, errors);
        if (errors.Any)
        {
            return errors.ToResult();
        }

        var creates = kind is MessageBodyKind.ChannelMessage or MessageBodyKind.InteractionReply or MessageBodyKind.Followup;
        return creates && IsEmpty(body) ? RestResult.EmptyMessage : null;
    }

    public static int FlagsOf(JsonObject body) => (int)(DiscordJson.Integer(body["flags"]) ?? 0);

    private static void CheckContent(JsonNode? content, string path, FormErrors errors)
    {
        if (content is null)
        {
            return;
        }

        if (content is not JsonValue value || !value.TryGetValue(out string? text))
        {
            errors.WrongType(path, "a string");
        }
        else if (DiscordJson.Length(text) > 2000)
        {
            errors.TooLong(path, 2000);
        }
    }

    private static int CheckFlags(JsonNode? node, MessageBodyKind kind, string path, FormErrors errors)
    {
        if (node is null)
        {
            return 0;
        }

        if (DiscordJson.Integer(node) is not { } flags)
        {
            errors.WrongType(path, "an integer");
            return 0;
        }

        var allowed = SuppressEmbeds | SuppressNotifications | ComponentsV2 | (kind == MessageBodyKind.ChannelMessage ? 0 : Ephemeral);
        if ((flags & ~allowed) != 0)
        {
            var why = kind == MessageBodyKind.ChannelMessage && (flags & Ephemeral) != 0
                ? "EPHEMERAL exists only for interaction responses and follow-ups (Discord would ignore it here)."
                : "Only SUPPRESS_EMBEDS (4), EPHEMERAL (64), SUPPRESS_NOTIFICATIONS (4096) and IS_COMPONENTS_V2 (32768) may be set.";
            errors.Add(path, "FAKE_FLAGS_NOT_ALLOWED", why);
        }

        return (int)flags;
    }

    private static void CheckEmbeds(JsonNode? node, string path, FormErrors errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray embeds)
        {
            errors.WrongType(path, "an array");
            return;
        }

        if (embeds.Count > 10)
        {
            errors.TooLong(path, 10);
        }

        var total = 0;
        for (var i = 0; i < embeds.Count; i++)
        {
            var at = $"{path}.{i}";
            if (embeds[i] is not JsonObject embed)
            {
                errors.WrongType(at, "an object");
                continue;
            }

            errors.UnknownFields(embed, EmbedFields, at);

            total += Text(embed, "title", at, 256, errors);
            total += Text(embed, "description", at, 4096, errors);
            total += Part(embed, "footer", "text", at, 2048, errors);
            total += Part(embed, "author", "name", at, 256, errors);
            total += Fields(embed["fields"], at + ".fields", errors);
            if (embed["color"] is { } color && DiscordJson.Integer(color) is not (>= 0 and <= 0xFFFFFF))
            {
                errors.Add(at + ".color", "NUMBER_TYPE_MAX", "Color must be an integer from 0 to 16777215.");
            }

            if (DiscordJson.String(embed, "timestamp") is { } stamp && !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, out _))
            {
                errors.Add(at + ".timestamp", "DATE_TIME_TYPE_PARSE", "Could not parse " + stamp + ". Should be ISO8601.");
            }
        }

        if (total > 6000)
        {
            errors.Add(path, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
        }
    }

    private static int Fields(JsonNode? node, string path, FormErrors errors)
    {
        if (node is null)
        {
            return 0;
        }

        if (node is not JsonArray fields)
        {
            errors.WrongType(path, "an array");
            return 0;
        }

        if (fields.Count > 25)
        {
            errors.TooLong(path, 25);
        }

        var total = 0;
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] is not JsonObject field)
            {
                errors.WrongType($"{path}.{i}", "an object");
                continue;
            }

            total += Text(field, "name", $"{path}.{i}", 256, errors, required: true);
            total += Text(field, "value", $"{path}.{i}", 1024, errors, required: true);
        }

        return total;
    }

    private static int Part(JsonObject embed, string part, string key, string path, int max, FormErrors errors)
    {
        if (embed[part] is null)
        {
            return 0;
        }

        if (embed[part] is not JsonObject obj)
        {
            errors.WrongType($"{path}.{part}", "an object");
            return 0;
        }

        return Text(obj, key, $"{path}.{part}", max, errors, required: true);
    }

    // Discord counts embed text after trimming surrounding whitespace; returns the counted length.
    private static int Text(JsonObject obj, string key, string path, int max, FormErrors errors, bool required = false)
    {
        var at = $"{path}.{key}";
        if (obj[key] is null)
        {
            if (required)
            {
                errors.Required(at);
            }

            return 0;
        }

        if (obj[key] is not JsonValue value || !value.TryGetValue(out string? text))
        {
            errors.WrongType(at, "a string");
            return 0;
        }

        var length = DiscordJson.Length(text.Trim());
        if (required && length == 0)
        {
            errors.Required(at);
        }
        else if (length > max)
        {
            errors.TooLong(at, max);
        }

        return length;
    }

    private static void CheckMentions(JsonNode? node, string path, FormErrors errors)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject mentions)
        {
            errors.WrongType(path, "an object");
            return;
        }

        var parse = new HashSet<string>(StringComparer.Ordinal);
        if (mentions["parse"] is JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is JsonValue v && v.TryGetValue(out string? kind) && MentionKinds.Contains(kind))
                {
                    parse.Add(kind);
                }
                else
                {
                    errors.Add($"{path}.parse.{i}", "BASE_TYPE_CHOICES", "Value must be one of {'roles', 'users', 'everyone'}.");
                }
            }
        }
        else if (mentions["parse"] is not null)
        {
            errors.WrongType(path + ".parse", "an array");
        }

        foreach (var key in MentionLists)
        {
            if (mentions[key] is JsonArray ids && ids.Count > 0 && parse.Contains(key))
            {
                errors.Add(path, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", $"parse:[\"{key}\"] and {key}: [ids] are mutually exclusive.");
            }
        }
    }

    private static void CheckScalars(JsonObject body, string prefix, FormErrors errors)
    {
        foreach (var key in BooleanFields)
        {
            if (body[key] is { } node && DiscordJson.Boolean(node) is null)
            {
                errors.WrongType(prefix + key, "a boolean");
            }
        }

        if (body["nonce"] is JsonValue nonce && !DiscordJson.IsNumber(nonce)
            && (!nonce.TryGetValue(out string? text) || text.Length > 25))
        {
            errors.Add(prefix + "nonce", "BASE_TYPE_MAX_LENGTH", "A nonce is an integer or a string of 25 or fewer characters.");
        }
    }

    private static bool IsEmpty(JsonObject body) =>
        string.IsNullOrWhiteSpace(DiscordJson.String(body, "content"))
        && !HasItems(body, "embeds") && !HasItems(body, "components") && !HasItems(body, "sticker_ids")
        && !HasItems(body, "attachments") && body["poll"] is null;

    private static bool HasItems(JsonObject body, string key) => body[key] is JsonArray { Count: > 0 };
}
