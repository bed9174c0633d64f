using System.Globalization;
using SpotMirror.Core.Catalog;

namespace SpotMirror.Chat;

/// <summary>
/// The command grammar, the same on every platform: "/name[@bot] args". A trailing number is the
/// count (1 to 10) where the command takes one. Everything that does not fit gets a sentence that
/// says what would.
/// </summary>
public static class CommandParser
{
    public const int MaxLength = 500;
    public const int MinCount = 1;
    public const int MaxCount = 10;
    public const int DefaultCount = 5;

    public static readonly IReadOnlyList<string> Names = ["mood", "similar", "recommend", "popular", "group", "link", "unlink", "profile", "web", "forget", "help"];

    public static Command Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return new InvalidCommand("That was empty. Try /help to see what I can do.");
        if (trimmed.Length > MaxLength) return new InvalidCommand($"That's too long for me: keep a command under {MaxLength} characters.");
        if (trimmed[0] != '/') return new InvalidCommand("Commands start with a slash, like /mood chill. Try /help.");

        var space = trimmed.IndexOfAny([' ', '\t', '\n']);
        var head = space < 0 ? trimmed[1..] : trimmed[1..space];
        var args = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) head = head[..at];
        var name = head.ToLowerInvariant();

        return name switch
        {
            "mood" => Mood(args),
            "similar" => Similar(args),
            "recommend" => WithCount(args, "recommend", c => new RecommendCommand(c), allowText: false),
            "popular" => Popular(args),
            "group" => Group(args),
            "profile" => new ProfileCommand(),
            "web" => new WebCommand(),
            "forget" => new ForgetCommand(args.Equals("yes", StringComparison.OrdinalIgnoreCase) || args.Equals("confirm", StringComparison.OrdinalIgnoreCase)),
            "help" or "start" => new HelpCommand(),
            "link" or "unlink" => LinkCommands.Parse(name, args),
            "" => new InvalidCommand("A slash alone isn't a command. Try /help."),
            _ => Unknown(name),
        };
    }

    private static Command Mood(string args)
    {
        var (rest, count, error) = SplitCount(args);
        if (error is not null) return new InvalidCommand(error);
        if (rest.Length == 0) return new MoodPickerCommand();
        return new MoodCommand(rest, count);
    }

    /// <summary>"/group", "/group chill 8", "/group rainy sunday strategy:average", "/group go".</summary>
    private static Command Group(string args)
    {
        if (args.Equals("go", StringComparison.OrdinalIgnoreCase) || args.Equals("start", StringComparison.OrdinalIgnoreCase))
        {
            return new GroupCommand(null, DefaultCount, null, Go: true);
        }
        string? strategy = null;
        var words = new List<string>();
        foreach (var word in args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("strategy:", StringComparison.OrdinalIgnoreCase) || word.StartsWith("strategy=", StringComparison.OrdinalIgnoreCase))
            {
                strategy = word["strategy:".Length..];
                if (strategy.Length == 0) return new InvalidCommand("Which strategy? For example /group chill strategy:fair (or average, misery, nomisery, product).");
            }
            else
            {
                words.Add(word);
            }
        }
        var (rest, count, error) = SplitCount(string.Join(' ', words));
        if (error is not null) return new InvalidCommand(error);
        return new GroupCommand(rest.Length == 0 ? null : rest, count, strategy, Go: false);
    }

    private static Command Similar(string args)
    {
        // A number alone is what to be similar to (a title such as "505", or a track id), not a count.
        if (args.Length > 0 && args.All(char.IsAsciiDigit)) return new SimilarCommand(args, DefaultCount);
        var (rest, count, error) = SplitCount(args);
        if (error is not null) return new InvalidCommand(error);
        if (rest.Length == 0) return new InvalidCommand("Similar to what? Name a track or an artist: /similar Nightcall or /similar Daft Punk.");
        return new SimilarCommand(rest, count);
    }

    private static Command Popular(string args)
    {
        var (rest, count, error) = SplitCount(args);
        if (error is not null) return new InvalidCommand(error);
        return new PopularCommand(rest.Length == 0 ? null : rest, count);
    }

    private static Command WithCount(string args, string name, Func<int, Command> make, bool allowText)
    {
        var (rest, count, error) = SplitCount(args);
        if (error is not null) return new InvalidCommand(error);
        if (!allowText && rest.Length > 0) return new InvalidCommand($"/{name} takes only a number of tracks, 1 to {MaxCount}: /{name} 5.");
        return make(count);
    }

    /// <summary>Splits a trailing whole number off as the count; an out-of-range number says the range.</summary>
    private static (string Remainder, int Count, string? Error) SplitCount(string args)
    {
        var lastSpace = args.LastIndexOf(' ');
        var last = lastSpace < 0 ? args : args[(lastSpace + 1)..];
        if (last.Length == 0 || !last.All(char.IsAsciiDigit) && !(last[0] == '-' && last.Length > 1 && last[1..].All(char.IsAsciiDigit)))
        {
            return (args, DefaultCount, null);
        }
        var rest = lastSpace < 0 ? "" : args[..lastSpace].Trim();
        if (!int.TryParse(last, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count) || count < MinCount || count > MaxCount)
        {
            return (rest, 0, $"I can list {MinCount} to {MaxCount} tracks at a time; {last} is outside that.");
        }
        return (rest, count, null);
    }

    private static InvalidCommand Unknown(string name)
    {
        var closest = Names.Select(n => (Name: n, Distance: Text.EditDistance(name, n))).OrderBy(x => x.Distance).First();
        var hint = closest.Distance <= 2 ? $" Did you mean /{closest.Name}?" : "";
        var shown = name.Length > 30 ? name[..30] + "…" : name;
        return new InvalidCommand($"I don't know /{shown}.{hint} Try /help for the list.");
    }

    /// <summary>Named moods for messages, filled in by whoever owns the mood list.</summary>
    public static IReadOnlyList<string> MoodNames { get; set; } = Core.Mood.NamedMood.Defaults.Select(m => m.Name).ToList();
}
