using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Runtime;

/// <summary>
/// Keeps the start-up snapshot fresh: writes it once the core is loaded (unless the start read a current one),
/// then every few minutes while changes come in, so that a restart finds one whose changes since are still in
/// the feed (it keeps an hour). A rewrite's position is the follower's position one period earlier: every change
/// up to it was applied to memory long before (this process's own ones right after their commits), so the state
/// written holds them all and the replay of what follows can only apply later values again.
/// </summary>
public sealed partial class SnapshotKeeper(
    StartupSnapshot snapshot,
    CoreLoader loader,
    ChangeFollower follower,
    TimeProvider clock,
    ILogger<SnapshotKeeper> logger) : BackgroundService
{
    /// <summary>Well inside the feed's hour: a snapshot's position is at most two periods old when it is written.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromMinutes(10);

    /// <summary>Snapshots written by this process (for tests and diagnostics).</summary>
    public int Written { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!snapshot.Enabled) return;
        try
        {
            await loader.WhenReady.WaitAsync(stoppingToken).ConfigureAwait(false);
            var written = loader.FeedPosition;
            try
            {
                if (!loader.StartedFromCurrentSnapshot) await TryWriteAsync(written, stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                snapshot.EndStartWriting();
            }
            var previous = loader.FeedPosition;
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(Every, clock, stoppingToken).ConfigureAwait(false);
                var (position, seen) = (previous, follower.Position);
                previous = seen;
                if (position == written) continue;
                await TryWriteAsync(position, stoppingToken).ConfigureAwait(false);
                written = position;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TryWriteAsync(long position, CancellationToken cancellationToken)
    {
        try
        {
            await snapshot.WriteAsync(position, cancellationToken).ConfigureAwait(false);
            Written++;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            // A full disk or a busy database costs the next start its shortcut, nothing else.
            LogFailed(logger, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The start-up snapshot could not be written: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
