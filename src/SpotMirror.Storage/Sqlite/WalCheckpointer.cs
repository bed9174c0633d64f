using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Storage.Sqlite;

/// <summary>When the WAL of a SQLite file is copied into the file (<see cref="WalCheckpointer"/>).</summary>
/// <param name="Threshold">Pages appended to the WAL before the background checkpoint runs: 16 MB, about 3,000 feedback events at 1 M.</param>
/// <param name="Limit">
/// Pages in the WAL at which the writer checkpoints after its commit, so that the WAL starts over: 64 MB. A WAL that starts
/// over is written in place, while a growing one is extended page by page: at 256 MB a lone writer's commit on a fresh
/// file cost about a third more, and at 32 MB the writer copied most pages itself again at a million users.
/// </param>
/// <param name="Quiet">
/// How long fewer than Threshold pages may wait before the background checkpoint copies them anyway (null: 30 s). Pages in
/// the WAL are as durable as in the file; copying a few every second only added a sync every second while requests ran.
/// </param>
public sealed record WalLimits(int Threshold = 4096, int Limit = 16_384, TimeSpan? Quiet = null);

/// <summary>
/// Copies committed pages from the WAL into the database file beside the writer, not inside its commits.
/// <para>
/// SQLite's own autocheckpoint runs in the commit that crosses its threshold: the writer copies every page the WAL
/// gained into the file and syncs it while every waiting unit of work waits too. At a million users a feedback event
/// dirties about five scattered pages, and copying one back costs more than writing it to the WAL (a read, a write
/// and its share of the sync: about 19 µs against 5 µs here), so the checkpoint took almost half of the writer's time.
/// </para>
/// <para>
/// Here the writer only counts what it appended (<see cref="Committed"/>); once <see cref="WalLimits.Threshold"/> pages have
/// gathered, this class's own thread and connection run a PASSIVE checkpoint, which takes no write lock and waits for
/// no one, so the writer never waits for it. What it does not change: a commit is as durable as before (the WAL is written at the
/// commit, synchronous NORMAL), and the copy and its sync are SQLite's own.
/// </para>
/// <para>
/// A passive checkpoint never catches up with a writer that never pauses, and SQLite can only start the WAL over when
/// every page in it has been copied. So the WAL is bounded the old way: once it holds <see cref="WalLimits.Limit"/> pages the
/// writer checkpoints after its own commit (<see cref="SqliteDatabase"/>), which copies what this thread has not yet and
/// lets the next transaction restart the WAL from its beginning.
/// </para>
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly WalLimits _limits;
    private readonly ILogger? _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _pending;
    private long _runs;
    private string? _lastFailure;

    public WalCheckpointer(SqliteDatabase database, WalLimits limits, ILogger? logger)
    {
        _database = database;
        _limits = limits;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "SQLite checkpoint" };
        _thread.Start();
    }

    /// <summary>Checkpoints this thread has run.</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>The writer appended pages to the WAL in a commit: wakes the thread once enough have gathered.</summary>
    public void Committed(long pages)
    {
        if (Interlocked.Add(ref _pending, pages) < _limits.Threshold) return;
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another commit woke it first.
        }
        catch (ObjectDisposedException)
        {
            // Stopping: the last connection's close checkpoints.
        }
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // A wait with an end, so pages a quiet spell leaves in the WAL are copied too.
                try
                {
                    _wake.Wait(_limits.Quiet ?? TimeSpan.FromSeconds(30), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                if (Interlocked.Exchange(ref _pending, 0) == 0) continue;
                try
                {
                    connection ??= _database.OpenAsync(_stop.Token).GetAwaiter().GetResult();
                    Checkpoint(connection);
                    Interlocked.Increment(ref _runs);
                    _lastFailure = null;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception) when (exception is SqliteException or IOException or StorageUnavailableException)
                {
                    // Nothing committed depends on it: the pages stay in the WAL and the next try copies them. Said once per cause.
                    var message = exception.Message.ReplaceLineEndings(" ");
                    if (message != _lastFailure)
                    {
                        _lastFailure = message;
                        _logger?.LogWarning("Copying the WAL of {Path} into the file failed; committed data is safe in the WAL and the copy is tried again: {Reason}", _database.Path, message);
                    }
                    connection?.Dispose();
                    connection = null;
                    // Do not spin on a full or broken disk.
                    if (_stop.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1))) break;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>
    /// A PASSIVE checkpoint on connection: copies what no reader still needs from the WAL, without waiting for any lock.
    /// Returns the pages in the WAL and how many of them are now in the file (both -1 when another checkpoint was running).
    /// </summary>
    public static (long Frames, long Copied) Checkpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(1), reader.GetInt64(2)) : (-1, -1);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _stop.Dispose();
        _wake.Dispose();
    }
}
