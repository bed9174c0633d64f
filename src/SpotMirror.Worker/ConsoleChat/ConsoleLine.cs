using System.Globalization;

namespace SpotMirror.Worker.ConsoleChat;

/// <summary>One line typed into the console chat.</summary>
public abstract record ConsoleLine
{
    public sealed record Blank : ConsoleLine;

    public sealed record Command(string Text) : ConsoleLine;

    public sealed record SwitchUser(string Name) : ConsoleLine;

    public sealed record React(string Emoji, int? Item, bool Added) : ConsoleLine;

    public sealed record Invalid(string Message) : ConsoleLine;

    /// <summary>"/more": the next page of my last list.</summary>
    public sealed record More : ConsoleLine;

    /// <summary>":links N": where to play track N of my last list.</summary>
    public sealed record Links(int Item) : ConsoleLine;

    /// <summary>"/cmd ...", "/more", ":as NAME", ":react EMOJI [N]", ":unreact EMOJI [N]", ":links N"; anything else gets a hint.</summary>
    public static ConsoleLine Parse(string line)
    {
        var text = line.Trim();
        if (text.Length == 0) return new Blank();
        if (text.Equals("/more", StringComparison.OrdinalIgnoreCase)) return new More();
        if (text[0] == '/') return new Command(text);
        if (text[0] != ':') return new Invalid("Commands start with a slash (try /help); :as NAME switches user; :react EMOJI [N] reacts to my last list.");

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (parts[0].ToLowerInvariant())
        {
            case ":as":
                // A name is shown back (and to everyone in a group): escapes and bidi overrides never reach a terminal.
                var name = Core.Ports.PrintableText.Clean(string.Join(' ', parts.Skip(1)));
                if (name.Length == 0 || name.Length > 64) return new Invalid("Usage: :as NAME (a name of 1 to 64 characters).");
                return new SwitchUser(name);
            case ":react":
            case ":unreact":
                var added = parts[0].Equals(":react", StringComparison.OrdinalIgnoreCase);
                if (parts.Length is < 2 or > 3) return new Invalid($"Usage: {parts[0]} EMOJI [N], e.g. {parts[0]} 👍 or {parts[0]} 👎 2.");
                int? item = null;
                if (parts.Length == 3)
                {
                    if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1) return new Invalid("N must be a track number from my last list, like 2.");
                    item = n;
                }
                return new React(parts[1], item, added);
            case ":links":
                if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var track) || track < 1)
                {
                    return new Invalid("Usage: :links N, e.g. :links 2 for the links of track 2 of my last list.");
                }
                return new Links(track);
            default:
                return new Invalid($"I don't know {parts[0]}. Console commands: :as NAME, :react EMOJI [N], :unreact EMOJI [N], :links N, and /more.");
        }
    }
}
