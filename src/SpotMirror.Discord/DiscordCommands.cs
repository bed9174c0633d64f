using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Discord;

/// <summary>
/// The slash commands, mirroring the chat grammar: each one's options are turned back into the chat
/// command text ("/mood chill 5"), so Discord, Telegram and the console share one parser.
/// </summary>
public static class DiscordCommands
{
    private const int String = 3;
    private const int Integer = 4;
    private const int Boolean = 5;

    /// <summary>The command set to register (contexts: guilds and the bot's DMs).</summary>
    public static JsonArray Definitions() =>
    [
        Command("mood", "Tracks for a mood, words or an emoji",
            Option(String, "mood", "A mood (chill, happy...), a few words or an emoji; leave it out to pick one", autocomplete: true, maxLength: 100), Count()),
        Command("similar", "Tracks like a track or an artist", Option(String, "track", "A track (Title - Artist) or an artist", required: true, autocomplete: true, maxLength: 100), Count()),
        Command("recommend", "Picks for you, from what you liked", Count()),
        Command("popular", "What is popular, optionally for one tag", Option(String, "tag", "A genre or tag, e.g. jazz", maxLength: 50), Count()),
        Command("group", "A playlist fair to everyone here: join with 🎧, then /group go:true",
            Option(String, "mood", "The playlist's mood (optional)", autocomplete: true, maxLength: 100),
            Count(),
            StrategyOption(),
            Option(Boolean, "go", "Make the playlist now from who joined")),
        Command("link", "Start from your taste on another service",
            ServiceOption(required: true), Option(String, "username", "Your user name there", required: true, maxLength: 100)),
        Command("unlink", "Take back what /link imported", ServiceOption(required: false)),
        Command("profile", "What I have learned about your taste"),
        Command("web", "A private one-time link that signs you in to the web app"),
        Command("forget", "Forget everything about you", Option(Boolean, "confirm", "Yes, delete everything about me")),
        Command("help", "How to use SpotMirror"),
    ];

    /// <summary>The chat command text an application command stands for.</summary>
    public static string ToText(string name, JsonArray? options)
    {
        string? Get(string option) => options?.OfType<JsonObject>().FirstOrDefault(o => (string?)o["name"] == option)?["value"] switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonValue value => value.ToJsonString(),
            _ => null,
        };
        var count = Get("count");
        var parts = name switch
        {
            "mood" => ["/mood", Get("mood"), count],
            "similar" => ["/similar", Get("track"), count],
            "recommend" => ["/recommend", count],
            "popular" => ["/popular", Get("tag"), count],
            "group" when Get("go") == "true" => ["/group", "go"],
            "group" => ["/group", Get("mood"), count, Get("strategy") is { } s ? $"strategy:{s}" : null],
            "forget" => ["/forget", Get("confirm") == "true" ? "yes" : null],
            "link" => ["/link", Get("service"), Get("username")],
            "unlink" => ["/unlink", Get("service")],
            _ => new string?[] { $"/{name}" },
        };
        return string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)));
    }

    /// <summary>The text the user is typing in an autocomplete interaction, and which option it is for.</summary>
    public static (string Option, string Typed) Focused(JsonArray? options)
    {
        var focused = options?.OfType<JsonObject>().FirstOrDefault(o => (bool?)o["focused"] == true);
        return ((string?)focused?["name"] ?? "", focused?["value"]?.ToString() ?? "");
    }

    private static JsonObject Command(string name, string description, params JsonObject[] options) => new()
    {
        ["name"] = name,
        ["type"] = 1,
        ["description"] = description,
        ["contexts"] = new JsonArray(0, 1),
        ["options"] = new JsonArray([.. options]),
    };

    private static JsonObject Count() => new()
    {
        ["type"] = Integer,
        ["name"] = "count",
        ["description"] = string.Create(CultureInfo.InvariantCulture, $"How many tracks, 1 to 10"),
        ["min_value"] = 1,
        ["max_value"] = 10,
    };

    private static JsonObject StrategyOption() => new()
    {
        ["type"] = String,
        ["name"] = "strategy",
        ["description"] = "How tastes are combined (default: fair)",
        ["choices"] = new JsonArray(
            Choice("Fair (proportional fairness)", "fair"), Choice("Average", "average"), Choice("Least misery", "misery"),
            Choice("Average without misery", "nomisery"), Choice("Product", "product")),
    };

    private static JsonObject ServiceOption(bool required)
    {
        var option = Option(String, "service", "The service (Last.fm)", required);
        option["choices"] = new JsonArray(Choice("Last.fm", "lastfm"));
        return option;
    }

    private static JsonObject Choice(string name, string value) => new() { ["name"] = name, ["value"] = value };

    private static JsonObject Option(int type, string name, string description, bool required = false, bool autocomplete = false, int? maxLength = null)
    {
        var option = new JsonObject { ["type"] = type, ["name"] = name, ["description"] = description };
        if (required) option["required"] = true;
        if (autocomplete) option["autocomplete"] = true;
        if (maxLength is { } max) option["max_length"] = max;
        return option;
    }
}
