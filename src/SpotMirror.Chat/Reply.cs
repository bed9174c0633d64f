namespace SpotMirror.Chat;

public enum ReplyKind
{
    /// <summary>A list of tracks that takes feedback.</summary>
    Tracks,
    /// <summary>Information: help, profile, confirmations.</summary>
    Info,
    /// <summary>What went wrong with the request, said kindly, and what to do instead.</summary>
    Problem,
    /// <summary>A short acknowledgement of feedback ("Noted: more like Nightcall").</summary>
    Receipt,
    /// <summary>A group lobby: people join it (🎧 or a Join button) until someone says /group go.</summary>
    Lobby,
}

/// <summary>One track of a reply: N. Title - Artist, and why.</summary>
public sealed record TrackLine(int Number, long TrackId, string Title, string Artist, string Reason);

/// <summary>A platform-neutral reply; each adapter renders it its own way.</summary>
public sealed record Reply(ReplyKind Kind, string Title, IReadOnlyList<string> Lines, IReadOnlyList<TrackLine> Tracks)
{
    /// <summary>Who asked (internal user id), for the ledger.</summary>
    public long? RequestedBy { get; init; }

    /// <summary>What the list was for ("mood:chill", "similar", "group:12", ...), kept in the ledger.</summary>
    public string Context { get; init; } = "";

    /// <summary>The group session a lobby gathers for; the adapter's sent message id is kept with it so 🎧 on it means "join".</summary>
    public long? GroupSessionId { get; init; }

    /// <summary>
    /// The reply holds a one-time sign-in link for this user, minted by the adapter only as it sends the reply
    /// (<see cref="ChatService.CompleteAsync"/>), so the secret never sits in the outbox; the adapter sends it privately.
    /// </summary>
    public long? SignInFor { get; init; }

    /// <summary>Only the person who asked may see it: a private chat, an ephemeral answer.</summary>
    public bool Private { get; init; }

    /// <summary>The taste picture of this user goes with the reply (an image on the platforms, a file in the console).</summary>
    public long? PictureOf { get; init; }

    public bool AcceptsFeedback => Kind == ReplyKind.Tracks && Tracks.Count > 0;

    public static Reply Info(string title, params IReadOnlyList<string> lines) => new(ReplyKind.Info, title, lines, []);

    public static Reply Problem(string title, params IReadOnlyList<string> lines) => new(ReplyKind.Problem, title, lines, []);

    public static Reply Receipt(string text) => new(ReplyKind.Receipt, text, [], []);

    /// <summary>The reply as plain text lines: the title, any lines, then "N. Title - Artist (reason)" per track.</summary>
    public IEnumerable<string> ToPlainLines()
    {
        yield return Title;
        foreach (var line in Lines) yield return line;
        foreach (var track in Tracks) yield return $"{track.Number}. {track.Title} - {track.Artist}  ({track.Reason})";
    }
}
