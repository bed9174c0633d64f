using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>JSON helpers shared by the fake's REST and gateway sides.</summary>
internal static class DiscordJson
{
    // Emoji stay readable in recorded bodies and frames.
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode? node) => node is null ? "null" : node.ToJsonString(Options);

    /// <summary>Parses text, or returns false for anything that is not JSON.</summary>
    public static bool TryParse(string text, out JsonNode? node)
    {
        try
        {
            node = JsonNode.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            node = null;
            return false;
        }
    }

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static string? String(JsonObject obj, string key) =>
        obj[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    /// <summary>An integral JSON number; strings and fractions are not integers.</summary>
    public static long? Integer(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    /// <summary>Any JSON number; TryGetValue would demand the exact CLR type a node was built from.</summary>
    public static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
        && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    public static bool? Boolean(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    public static bool IsNumber(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.Number;

    public static bool IsNull(JsonNode? node) => node is null;

    /// <summary>Snowflakes travel as strings of digits.</summary>
    public static bool IsSnowflake(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 20 && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>Discord counts characters, not UTF-16 units: an emoji is one.</summary>
    public static int Length(string text) => text.EnumerateRunes().Count();

    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
