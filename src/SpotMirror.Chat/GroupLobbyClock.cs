using SpotMirror.Core.Ports;

namespace SpotMirror.Chat;

/// <summary>
/// Keeps lobby time for an adapter: lobbies whose time is up become playlists, queued in the outbox in the
/// same transaction that closes them, so a crash between the two loses nothing (the session stays open
/// and is closed on the next tick). Each playlist is queued once (event id platform:group:N).
/// </summary>
public sealed class GroupLobbyClock(ChatService chat, ICheckpointStore checkpoints, IOutbox outbox, TimeProvider clock)
{
    /// <summary>How often an adapter should tick.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(2);

    /// <summary>Closes due lobbies of the platform; payload renders a playlist for that platform's outbox. Returns how many were queued.</summary>
    public Task<int> CloseDueAsync(string platform, Func<GroupSession, Reply, string> payload, CancellationToken cancellationToken) =>
        checkpoints.CommitAsync($"{platform}:groups", async ct =>
        {
            var due = await chat.CloseDueGroupsAsync(platform, ct).ConfigureAwait(false);
            foreach (var (session, reply) in due)
            {
                await outbox.EnqueueAsync(platform, session.ChatId, $"{platform}:group:{session.Id}", payload(session, reply), clock.GetUtcNow(), ct).ConfigureAwait(false);
            }
            return (due.Count, clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }, cancellationToken);
}
