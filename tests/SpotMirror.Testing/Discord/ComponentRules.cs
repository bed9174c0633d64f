using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// The legacy component layout: at most 5 action rows, each with up to 5 buttons or one select;
/// custom_id 1–100 characters and unique within the message; link buttons carry a url instead.
/// </summary>
internal static class ComponentRules
{
    private const int ActionRow = 1;
    private const int Button = 2;
    private const int LinkStyle = 5;
    private const int PremiumStyle = 6;

    private static readonly HashSet<string> RowFields = ["type", "id", "components"];

    private static readonly HashSet<string> ButtonFields = ["type", "id", "custom_id", "style", "label", "disabled", "url", "sku_id", "emoji"];

    // String, user, role, mentionable and channel selects.
    private static readonly HashSet<long> SelectTypes = [3, 5, 6, 7, 8];

    public static void Check(JsonNode? node, string path, FormErrors errors)
    {
        if (node is not JsonArray rows)
        {
            errors.WrongType(path, "an array");
            return;
        }

        if (rows.Count > 5)
        {
            errors.TooLong(path, 5);
        }

        var customIds = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            var rowPath = $"{path}.{r}";
            if (rows[r] is not JsonObject row || DiscordJson.Integer(row["type"]) != ActionRow)
            {
                errors.Add(rowPath + ".type", "UNION_TYPE_CHOICES", "Top-level components must be action rows (type 1) without IS_COMPONENTS_V2.");
                continue;
            }

            errors.UnknownFields(row, RowFields, rowPath);
            if (row["components"] is not JsonArray children || children.Count is < 1 or > 5)
            {
                errors.BadLength(rowPath + ".components", 1, 5);
                continue;
            }

            for (var c = 0; c < children.Count; c++)
            {
                var at = $"{rowPath}.components.{c}";
                if (children[c] is not JsonObject child)
                {
                    errors.WrongType(at, "an object");
                    continue;
                }

                var type = DiscordJson.Integer(child["type"]);
                if (type == Button)
                {
                    CheckButton(child, at, customIds, errors);
                }
                else if (type is { } select && SelectTypes.Contains(select))
                {
                    if (children.Count > 1)
                    {
                        errors.Add(at, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select menu must be alone in its action row.");
                    }

                    CheckCustomId(child, at, customIds, errors);
                }
                else
                {
                    errors.Add(at + ".type", "UNION_TYPE_CHOICES", "An action row holds buttons (2) or one select (3, 5, 6, 7, 8).");
                }
            }
        }
    }

    private static void CheckButton(JsonObject button, string path, HashSet<string> customIds, FormErrors errors)
    {
        errors.UnknownFields(button, ButtonFields, path);
        var style = DiscordJson.Integer(button["style"]);
        if (style is not (>= 1 and <= 6))
        {
            errors.Add(path + ".style", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.");
            return;
        }

        if (button["label"] is { } label && (label is not JsonValue value || !value.TryGetValue(out string? text) || DiscordJson.Length(text) > 80))
        {
            errors.TooLong(path + ".label", 80);
        }

        if (style != PremiumStyle && button["label"] is null && button["emoji"] is null)
        {
            errors.Add(path, "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A button needs a label or an emoji.");
        }

        if (style == LinkStyle)
        {
            if (DiscordJson.String(button, "url") is not { } url)
            {
                errors.Required(path + ".url");
            }
            else if (url.Length > 512 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "discord"))
            {
                errors.Add(path + ".url", "URL_TYPE_INVALID_URL", "Not a well formed URL.");
            }

            if (button["custom_id"] is not null)
            {
                errors.Add(path + ".custom_id", "BUTTON_COMPONENT_CUSTOM_ID_DISALLOWED", "A link button cannot have a custom_id.");
            }
        }
        else if (style == PremiumStyle)
        {
            if (button["sku_id"] is null)
            {
                errors.Required(path + ".sku_id");
            }
        }
        else
        {
            if (button["url"] is not null)
            {
                errors.Add(path + ".url", "BUTTON_COMPONENT_URL_DISALLOWED", "Only link buttons (style 5) have a url.");
            }

            CheckCustomId(button, path, customIds, errors);
        }
    }

    private static void CheckCustomId(JsonObject component, string path, HashSet<string> customIds, FormErrors errors)
    {
        var id = DiscordJson.String(component, "custom_id");
        if (id is null)
        {
            errors.Required(path + ".custom_id");
        }
        else if (id.Length is < 1 or > 100)
        {
            errors.BadLength(path + ".custom_id", 1, 100);
        }
        else if (!customIds.Add(id))
        {
            errors.Add(path + ".custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated");
        }
    }
}
