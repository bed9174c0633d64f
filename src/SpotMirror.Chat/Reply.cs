using SpotMirror.Core.Catalog;

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

/// <summary>One track of a reply: N. Title - Artist, and why; Links are where to play it (its page first when there is one).</summary>
public sealed record TrackLine(int Number, long TrackId, string Title, string Artist, string Reason)
{
    public IReadOnlyList<ListenLink> Links { get; init; } = [];

    /// <summary>The track's own page (Last.fm), else its first link; null without links.</summary>
    public ListenLink? Page => Links.FirstOrDefault(l => l.Service == ListenLinker.LastFm) ?? (Links.Count > 0 ? Links[0] : null);

    /// <summary>Where "▶" takes you: the first service that plays music, else the page.</summary>
    public ListenLink? Play => Links.FirstOrDefault(l => l.Service != ListenLinker.LastFm) ?? Page;
}

/// <summary>A button under a reply that does something for whoever presses it; Action is a <see cref="ReplyActions"/> code.</summary>
public sealed record ReplyButton(string Label, string Action);

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

    /// <summary>Where the sign-in link leads once it has signed its person in (a local /web path), e.g. to connect Spotify.</summary>
    public string? SignInNext { get; init; }

    /// <summary>Only the person who asked may see it: a private chat, an ephemeral answer.</summary>
    public bool Private { get; init; }

    /// <summary>The taste picture of this user goes with the reply (an image on the platforms, a file in the console).</summary>
    public long? PictureOf { get; init; }

    /// <summary>Buttons under the reply (a mood picker's moods, a list's More).</summary>
    public IReadOnlyList<ReplyButton> Buttons { get; init; } = [];

    /// <summary>For a list that can page: the command that made it, run again (with what was shown left out) by More.</summary>
    public string? Request { get; init; }

    /// <summary>For a later page: the message id of the list's first page, which names the chain of pages.</summary>
    public string? Chain { get; init; }

    /// <summary>Which page of its request this list is, from 1.</summary>
    public int Page { get; init; } = 1;

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
