namespace SpotMirror.Core.Ports;

/// <summary>What redeeming a one-time sign-in link found.</summary>
public enum SignInRedemption
{
    SignedIn,
    /// <summary>No such link (mistyped, forged, or its person was forgotten).</summary>
    Unknown,
    /// <summary>The link was opened before: a link signs in once.</summary>
    Used,
    Expired,
}

/// <summary>A signed-in browser: whose it is, and until when.</summary>
public sealed record WebSession(long UserId, string DisplayName, string Platform, DateTimeOffset ExpiresAt);

/// <summary>
/// One-time sign-in links and web sessions, by the SHA-256 hash of their secrets only: the secrets
/// themselves live in the chat message and the browser's cookie, never in storage.
/// </summary>
public interface IWebSignInStore
{
    Task IssueAsync(string tokenHash, long userId, DateTimeOffset at, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Marks the link used (once, atomically) and starts a session with the given hash for its person.</summary>
    Task<(SignInRedemption Outcome, long? UserId)> RedeemAsync(
        string tokenHash, string sessionHash, DateTimeOffset now, DateTimeOffset sessionExpiresAt, CancellationToken cancellationToken);

    /// <summary>The live session with this hash; null when unknown, ended, expired, or its person forgotten.</summary>
    Task<WebSession?> FindSessionAsync(string sessionHash, DateTimeOffset now, CancellationToken cancellationToken);

    Task EndSessionAsync(string sessionHash, CancellationToken cancellationToken);
}

/// <summary>A reaction that is on right now, wherever it was given, with the tracks it counts for.</summary>
public sealed record ActiveReaction(
    string Platform, string ChatId, string MessageId, string Emoji, int ItemIndex, DateTimeOffset AddedAt, IReadOnlyList<long> TrackIds);

/// <summary>A feedback event as logged: when, which signal, added or taken back, and its outcome.</summary>
public sealed record FeedbackRecord(DateTimeOffset At, string Signal, bool Added, string Outcome);

/// <summary>A group playlist a person was part of: the session, every member with their satisfaction, and the tracks.</summary>
public sealed record GroupPlaylist(GroupSession Session, DateTimeOffset? ClosedAt, IReadOnlyList<GroupMember> Members, IReadOnlyList<long> TrackIds);

/// <summary>What is stored about one person, read for the web pages and the export.</summary>
public interface IPersonalRecords
{
    Task<IReadOnlyList<ActiveReaction>> ActiveReactionsAsync(long userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedbackRecord>> FeedbackAsync(long userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupPlaylist>> GroupPlaylistsAsync(long userId, int max, CancellationToken cancellationToken);

    Task<IReadOnlyList<LinkedAccount>> LinkedAccountsAsync(long userId, CancellationToken cancellationToken);

    /// <summary>Every stored row that is about the person, by table (secrets' hashes left out), for the export.</summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, object?>>>> ExportAsync(long userId, CancellationToken cancellationToken);
}
