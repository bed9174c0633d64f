namespace SpotMirror.Chat;

/// <summary>/link and /unlink: bring in (or drop) a listening profile from another service.</summary>
public abstract record AccountCommand : Command;

/// <summary>/link SERVICE ACCOUNT, e.g. /link lastfm rj.</summary>
public sealed record LinkCommand(string Service, string Account) : AccountCommand;

/// <summary>/unlink [SERVICE]: every linked account when no service is named.</summary>
public sealed record UnlinkCommand(string? Service) : AccountCommand;

/// <summary>The grammar of /link and /unlink; which services exist is the linker's to say, not the parser's.</summary>
public static class LinkCommands
{
    public const int MaxAccountLength = 64;

    public const string Usage = "/link lastfm USERNAME imports your Last.fm top and loved tracks; /unlink takes them back.";

    public static Command Parse(string name, string args)
    {
        var words = args.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (name == "unlink")
        {
            return words.Length switch
            {
                0 => new UnlinkCommand(null),
                1 => new UnlinkCommand(words[0]),
                _ => new InvalidCommand("/unlink takes at most a service: /unlink or /unlink lastfm."),
            };
        }
        if (words.Length == 0) return new InvalidCommand("Link which account? " + Usage);
        if (words.Length == 1) return new InvalidCommand($"Which {words[0]} user? For example /link {words[0]} USERNAME.");
        if (words.Length > 2) return new InvalidCommand("An account name is one word: /link lastfm USERNAME.");
        if (words[1].Length > MaxAccountLength) return new InvalidCommand($"That account name is too long (at most {MaxAccountLength} characters).");
        return new LinkCommand(words[0], words[1]);
    }
}
