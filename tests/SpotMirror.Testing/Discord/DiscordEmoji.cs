using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>A partial emoji as reaction events carry it: Unicode (no id), custom (id and name), or custom with a null name.</summary>
public sealed record DiscordEmoji(string? Id, string? Name, bool Animated = false)
{
    public static DiscordEmoji Unicode(string emoji) => new(null, emoji);

    public static DiscordEmoji Custom(string name, string id, bool animated = false) => new(id, name, animated);

    /// <summary>A custom emoji whose name Discord no longer knows: <c>{"id":"…","name":null}</c>.</summary>
    public static DiscordEmoji Nameless(string id) => new(id, null);

    internal JsonObject ToJson()
    {
        var json = new JsonObject { ["id"] = Id, ["name"] = Name };
        if (Id is not null)
        {
            json["animated"] = Animated;
        }

        return json;
    }

    /// <summary>The emoji a reaction route names: "👍" or "name:id" for a custom one.</summary>
    internal static DiscordEmoji FromRoute(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && DiscordJson.IsSnowflake(text[(colon + 1)..])
            ? Custom(text[..colon], text[(colon + 1)..])
            : Unicode(text);
    }
}

/// <summary>The Unicode emoji the fake's Discord knows; compared without variation selectors, so ❤ and ❤️ both pass.</summary>
public static class DiscordReactionEmoji
{
    public static IReadOnlySet<string> Allowed { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "👍", "👎", "❤", "🔥", "⭐", "🌟", "✨", "😀", "😃", "😄", "😁", "😆", "😂", "🤣", "😊", "😇", "🙂", "😉", "😌",
        "😍", "🥰", "😘", "😎", "🤩", "🥳", "😏", "😒", "😞", "😔", "😕", "🙁", "😢", "😭", "😤", "😠", "😡", "🤬", "🤯",
        "😳", "😱", "😨", "🤔", "🤗", "🤭", "😶", "😐", "😑", "😬", "🙄", "😮", "🥱", "😴", "🥴", "🤢", "🤮", "💀", "👻",
        "🤖", "💩", "🙏", "👏", "🙌", "👌", "✌", "🤘", "👋", "💪", "🎉", "🎊", "🎵", "🎶", "🎧", "🎸", "🎹", "🎤", "🥁",
        "🎷", "🎺", "🎻", "💯", "✅", "❌", "❓", "❗", "⏭", "⏮", "⏯", "⏸", "▶", "◀", "🔁", "🔂", "🔀", "➕", "➖", "💔",
        "💕", "💖", "💙", "💚", "💛", "💜", "🖤", "🤍", "🧡", "💤", "🌙", "☀", "🌧", "☔", "❄", "🌊", "🌈", "☕", "🏆",
        "🚀", "👀", "🫶", "0⃣", "1⃣", "2⃣", "3⃣", "4⃣", "5⃣", "6⃣", "7⃣", "8⃣", "9⃣", "🔟",
    };

    public static bool IsKnown(string emoji) => Allowed.Contains(Strip(emoji));

    internal static string Strip(string emoji) =>
        emoji.Replace("\uFE0F", string.Empty, StringComparison.Ordinal).Replace("\uFE0E", string.Empty, StringComparison.Ordinal);
}
