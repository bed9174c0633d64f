using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>Options of a scripted slash command or autocomplete, in the shape <c>interaction.data.options</c> carries.</summary>
public static class CommandOption
{
    /// <param name="focused">True for the option the user is typing in an autocomplete interaction.</param>
    public static JsonObject OfString(string name, string value, bool focused = false) => Value(name, 3, JsonValue.Create(value), focused);

    public static JsonObject OfInteger(string name, long value, bool focused = false) => Value(name, 4, JsonValue.Create(value), focused);

    public static JsonObject OfNumber(string name, double value, bool focused = false) => Value(name, 10, JsonValue.Create(value), focused);

    public static JsonObject OfBoolean(string name, bool value) => Value(name, 5, JsonValue.Create(value), focused: false);

    public static JsonObject Subcommand(string name, params JsonObject[] options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonObject { ["name"] = name, ["type"] = 1, ["options"] = new JsonArray([.. options]) };
    }

    private static JsonObject Value(string name, int type, JsonNode value, bool focused)
    {
        var option = new JsonObject { ["name"] = name, ["type"] = type, ["value"] = value };
        if (focused)
        {
            option["focused"] = true;
        }

        return option;
    }
}
