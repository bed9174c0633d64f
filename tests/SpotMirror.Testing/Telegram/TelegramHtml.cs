using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>The outcome of parsing a message text: the plain text and its entities, or the reason Telegram would give for refusing it.</summary>
internal sealed record ParsedText(string PlainText, JsonArray Entities, string? Error);

/// <summary>
/// Telegram's HTML parse mode, as strict as the real parser: only its tags, balanced, and only the
/// four named entities plus numeric ones. Offsets in the returned entities are UTF-16 units.
/// </summary>
internal static class TelegramHtml
{
    private static readonly Dictionary<string, string> EntityTypeOfTag = new()
    {
        ["b"] = "bold",
        ["strong"] = "bold",
        ["i"] = "italic",
        ["em"] = "italic",
        ["u"] = "underline",
        ["ins"] = "underline",
        ["s"] = "strikethrough",
        ["strike"] = "strikethrough",
        ["del"] = "strikethrough",
        ["a"] = "text_link",
        ["code"] = "code",
        ["pre"] = "pre",
        ["tg-spoiler"] = "spoiler",
        ["span"] = "spoiler",
        ["blockquote"] = "blockquote",
        ["tg-emoji"] = "custom_emoji",
    };

    private static readonly Dictionary<string, string> NamedEntities = new()
    {
        ["lt"] = "<",
        ["gt"] = ">",
        ["amp"] = "&",
        ["quot"] = "\"",
    };

    public static ParsedText Parse(string html)
    {
        var text = new StringBuilder(html.Length);
        var open = new List<OpenTag>();
        var entities = new List<JsonObject>();
        var i = 0;
        while (i < html.Length)
        {
            string? error;
            switch (html[i])
            {
                case '&':
                    error = ReadEntity(html, ref i, text);
                    break;
                case '<' when i + 1 < html.Length && html[i + 1] == '/':
                    error = CloseTag(html, ref i, text, open, entities);
                    break;
                case '<':
                    error = OpenTagAt(html, ref i, text, open);
                    break;
                default:
                    text.Append(html[i]);
                    i++;
                    error = null;
                    break;
            }

            if (error is not null)
            {
                return Fail(error);
            }
        }

        if (open.Count > 0)
        {
            return Fail($"Can't find end tag corresponding to start tag \"{open[^1].Name}\"");
        }

        var sorted = new JsonArray();
        foreach (var entity in entities.OrderBy(e => (int)e["offset"]!).ThenByDescending(e => (int)e["length"]!))
        {
            sorted.Add(entity);
        }

        return new ParsedText(text.ToString(), sorted, null);
    }

    private static ParsedText Fail(string error) => new(string.Empty, [], "can't parse entities: " + error);

    // Numeric and the four named entities are decoded; any other "&name;" is refused; a lone '&' is text, as on Telegram.
    private static string? ReadEntity(string html, ref int i, StringBuilder text)
    {
        var semicolon = html.IndexOf(';', i + 1);
        var name = semicolon < 0 ? string.Empty : html[(i + 1)..semicolon];
        if (name.Length == 0 || name.Length > 10 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '#'))
        {
            text.Append('&');
            i++;
            return null;
        }

        string? decoded = name[0] == '#' ? DecodeNumeric(name[1..]) : NamedEntities.GetValueOrDefault(name);
        if (decoded is null)
        {
            return $"Unsupported HTML entity \"&{name};\" at byte offset {ByteOffset(html, i)}";
        }

        text.Append(decoded);
        i = semicolon + 1;
        return null;
    }

    private static string? DecodeNumeric(string digits)
    {
        var hex = digits.StartsWith('x') || digits.StartsWith('X');
        var ok = hex
            ? int.TryParse(digits.AsSpan(1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            : int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out code);
        var valid = ok && code is > 0 and <= 0x10FFFF && code is < 0xD800 or > 0xDFFF;
        return valid ? char.ConvertFromUtf32(code) : null;
    }

    private static string? OpenTagAt(string html, ref int i, StringBuilder text, List<OpenTag> open)
    {
        var start = i;
        var end = i + 1;
        while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] == '-'))
        {
            end++;
        }

        var name = html[(start + 1)..end].ToLowerInvariant();
        if (!EntityTypeOfTag.ContainsKey(name))
        {
            return $"Unsupported start tag \"{name}\" at byte offset {ByteOffset(html, start)}";
        }

        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var error = ReadAttributes(html, ref end, attributes);
        if (error is not null)
        {
            return error + $" at byte offset {ByteOffset(html, start)}";
        }

        if (name == "span" && attributes.GetValueOrDefault("class") != "tg-spoiler")
        {
            return $"Tag \"span\" must have class \"tg-spoiler\" at byte offset {ByteOffset(html, start)}";
        }

        if (name == "tg-emoji" && !attributes.ContainsKey("emoji-id"))
        {
            return $"Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset {ByteOffset(html, start)}";
        }

        open.Add(new OpenTag(name, attributes, text.Length));
        i = end;
        return null;
    }

    // Reads name="value", name='value', name=value and bare names up to '>'; leaves i after the '>'.
    private static string? ReadAttributes(string html, ref int i, Dictionary<string, string> attributes)
    {
        while (true)
        {
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return "Unclosed start tag";
            }

            if (html[i] == '>')
            {
                i++;
                return null;
            }

            var nameStart = i;
            while (i < html.Length && (char.IsAsciiLetterOrDigit(html[i]) || html[i] == '-' || html[i] == '_'))
            {
                i++;
            }

            if (i == nameStart)
            {
                return "Expected an attribute name";
            }

            var name = html[nameStart..i];
            var value = string.Empty;
            if (i < html.Length && html[i] == '=')
            {
                i++;
                var error = ReadAttributeValue(html, ref i, out value);
                if (error is not null)
                {
                    return error;
                }
            }

            attributes[name] = value;
        }
    }

    private static string? ReadAttributeValue(string html, ref int i, out string value)
    {
        value = string.Empty;
        if (i >= html.Length)
        {
            return "Unclosed start tag";
        }

        int end;
        if (html[i] is '"' or '\'')
        {
            end = html.IndexOf(html[i], i + 1);
            if (end < 0)
            {
                return "Unclosed attribute value";
            }

            value = DecodeAttribute(html[(i + 1)..end]);
            i = end + 1;
            return null;
        }

        end = i;
        while (end < html.Length && !char.IsWhiteSpace(html[end]) && html[end] != '>')
        {
            end++;
        }

        value = DecodeAttribute(html[i..end]);
        i = end;
        return null;
    }

    private static string DecodeAttribute(string raw)
    {
        var decoded = new StringBuilder(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            if (raw[i] != '&' || ReadEntity(raw, ref i, decoded) is not null)
            {
                decoded.Append(raw[i]);
                i++;
            }
        }

        return decoded.ToString();
    }

    private static string? CloseTag(string html, ref int i, StringBuilder text, List<OpenTag> open, List<JsonObject> entities)
    {
        var start = i;
        var gt = html.IndexOf('>', i + 2);
        if (gt < 0)
        {
            return $"Unclosed end tag at byte offset {ByteOffset(html, start)}";
        }

        var name = html[(i + 2)..gt].Trim().ToLowerInvariant();
        if (open.Count == 0)
        {
            return $"Unexpected end tag at byte offset {ByteOffset(html, start)}";
        }

        var tag = open[^1];
        if (name != tag.Name)
        {
            return $"Unmatched end tag at byte offset {ByteOffset(html, start)}, expected \"</{tag.Name}>\", found \"</{name}>\"";
        }

        open.RemoveAt(open.Count - 1);
        i = gt + 1;
        AddEntity(tag, text.Length, open, entities);
        return null;
    }

    private static void AddEntity(OpenTag tag, int end, List<OpenTag> stillOpen, List<JsonObject> entities)
    {
        var length = end - tag.Offset;
        var type = EntityTypeOfTag[tag.Name];

        // <pre><code class="language-x"> is one pre entity with a language, not two entities.
        if (tag.Name == "code" && stillOpen.Count > 0 && stillOpen[^1].Name == "pre")
        {
            var language = tag.Attributes.GetValueOrDefault("class");
            if (language?.StartsWith("language-", StringComparison.Ordinal) == true)
            {
                stillOpen[^1].Attributes["language"] = language["language-".Length..];
            }

            return;
        }

        if (length == 0 || (tag.Name == "a" && !tag.Attributes.ContainsKey("href")))
        {
            return;
        }

        var entity = new JsonObject { ["offset"] = tag.Offset, ["length"] = length };
        switch (tag.Name)
        {
            case "a":
                entity["url"] = tag.Attributes["href"];
                break;
            case "pre" when tag.Attributes.TryGetValue("language", out var language):
                entity["language"] = language;
                break;
            case "blockquote" when tag.Attributes.ContainsKey("expandable"):
                type = "expandable_blockquote";
                break;
            case "tg-emoji":
                entity["custom_emoji_id"] = tag.Attributes["emoji-id"];
                break;
        }

        entity["type"] = type;
        entities.Add(entity);
    }

    private static int ByteOffset(string html, int index) => Encoding.UTF8.GetByteCount(html.AsSpan(0, index));

    private sealed record OpenTag(string Name, Dictionary<string, string> Attributes, int Offset);
}
