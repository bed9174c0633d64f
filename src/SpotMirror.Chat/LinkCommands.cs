namespace SpotMirror.Chat;

/// <summary>/link and /unlink: bring in (or drop) a listening profile from another service.</summary>
public abstract record AccountCommand : Command;

/// <summary>/link SERVICE ACCOUNT, e.g. /link lastfm rj; a service linked through the web (/link spotify) needs no account, so Account may be null.</summary>
public sealed record LinkCommand(string Service, string? Account) : AccountCommand;

/// <summary>/unlink [SERVICE]: every linked account when no service is named.</summary>
public sealed record UnlinkCommand(string? Service) : AccountCommand;

/// <summary>The grammar of /link and /unlink; which services exist is the linker's to say, not the parser's.</summary>
public static class LinkCommands
{
    public const int MaxAccountLength = 64;

    public const string Usage = "/link lastfm USERNAME imports your Last.fm top and loved tracks, /link spotify your Spotify top and saved tracks; /unlink takes them back.";

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
        // Whether the service needs an account name (Last.fm) or is authorized through the web (Spotify) is the linker's to say.
        if (words.Length == 1) return new LinkCommand(words[0], null);
        if (words.Length > 2) return new InvalidCommand("An account name is one word: /link lastfm USERNAME.");
        if (words[1].Length > MaxAccountLength) return new InvalidCommand($"That account name is too long (at most {MaxAccountLength} characters).");
        return new LinkCommand(words[0], words[1]);
    }
}
