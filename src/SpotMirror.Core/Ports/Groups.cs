namespace SpotMirror.Core.Ports;

/// <summary>A group playlist in the making (Open) or made (Done): who asked, for what mood, how long, how.</summary>
public sealed record GroupSession(
    long Id,
    string Platform,
    string ChatId,
    long? CreatedBy,
    string? Mood,
    int Size,
    string Strategy,
    string? LobbyMessageId,
    bool Open,
    DateTimeOffset CreatedAt,
    DateTimeOffset ClosesAt);

/// <summary>A member of a group session; Satisfaction is set once the playlist is made.</summary>
public sealed record GroupMember(long UserId, string DisplayName, DateTimeOffset JoinedAt, double? Satisfaction)
{
    /// <summary>Names stored before they were cleaned on the way in are cleaned on the way out.</summary>
    public string DisplayName { get; } = PrintableText.Clean(DisplayName);
}

/// <summary>Group lobbies and their members, kept so a lobby outlives a restart and the next group remembers the last.</summary>
public interface IGroupStore
{
    /// <summary>Opens a lobby with its creator as the first member; null when one is already open in that chat.</summary>
    Task<GroupSession?> OpenAsync(IUnitOfWork unit, string platform, string chatId, long createdBy, string? mood, int size, string strategy,
        DateTimeOffset at, DateTimeOffset closesAt, CancellationToken cancellationToken);

    Task<GroupSession?> FindOpenAsync(string platform, string chatId, CancellationToken cancellationToken);

    /// <summary>The session whose lobby is this message, open or done.</summary>
    Task<GroupSession?> FindByLobbyAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken);

    Task SetLobbyMessageAsync(IUnitOfWork unit, long sessionId, string messageId, CancellationToken cancellationToken);

    /// <summary>True when the user was not a member yet.</summary>
    Task<bool> JoinAsync(IUnitOfWork unit, long sessionId, long userId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>True when the user was a member (the creator may leave too; whoever says go counts anyway).</summary>
    Task<bool> LeaveAsync(IUnitOfWork unit, long sessionId, long userId, CancellationToken cancellationToken);

    Task<IReadOnlyList<GroupMember>> MembersAsync(long sessionId, CancellationToken cancellationToken);

    /// <summary>Closes an open session with each member's satisfaction; false when it was closed already.</summary>
    Task<bool> CloseAsync(IUnitOfWork unit, long sessionId, IReadOnlyDictionary<long, double> satisfaction, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Each member's satisfaction with the last playlist made in this chat (empty when there was none).</summary>
    Task<IReadOnlyDictionary<long, double>> LastSatisfactionAsync(string platform, string chatId, CancellationToken cancellationToken);

    /// <summary>Open sessions of a platform whose lobby time is up.</summary>
    Task<IReadOnlyList<GroupSession>> DueAsync(string platform, DateTimeOffset now, CancellationToken cancellationToken);
}
