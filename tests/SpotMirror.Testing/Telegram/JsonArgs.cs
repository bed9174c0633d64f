using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>Reads method parameters the way Telegram does: numbers may also arrive as numeric strings.</summary>
internal static class JsonArgs
{
    public static long? Long(JsonObject args, string name) => args[name] switch
    {
        JsonValue value when value.TryGetValue(out long number) => number,
        JsonValue value when value.TryGetValue(out string? text)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    public static string? String(JsonObject args, string name) =>
        args[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool Bool(JsonObject args, string name) =>
        args[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    /// <summary>The parsed body; an absent body is an empty object, as for getMe.</summary>
    public static JsonObject? Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
