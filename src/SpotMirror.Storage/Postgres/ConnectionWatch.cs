using System.Data;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Storage.Postgres;

/// <summary>
/// Tells a lost connection (the server ended it, restarted, or the network cut it) from every other failure,
/// says so in one log line per loss, and paces the reconnection attempts. The pool keeps idle connections the
/// server has already closed; each would fail its next request, so a loss empties the pool as well.
/// </summary>
internal sealed partial class ConnectionWatch(string database, ILogger logger)
{
    /// <summary>Waits before each new attempt: about 4 s in all, longer than a server restart takes on a quiet machine.</summary>
    private static readonly TimeSpan[] Pauses = [TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>Connections the server ended together fail one after another as they are found; that is one loss, logged once.</summary>
    private static readonly long QuietMilliseconds = 30_000;

    private int _announced;
    private int _connected;
    private long _loggedAt = long.MinValue / 2;

    public bool EverConnected => Volatile.Read(ref _connected) == 1;

    /// <summary>Whether a failure means the connection is gone: not a refused password or a bad statement.</summary>
    public static bool IsLoss(Exception exception, NpgsqlConnection? connection) => exception switch
    {
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" } => true,
        PostgresException postgres when postgres.SqlState.StartsWith("08", StringComparison.Ordinal) => true,
        NpgsqlException { InnerException: IOException or SocketException or EndOfStreamException } => true,
        StorageUnavailableException { InnerException: NpgsqlException inner } => IsLoss(inner, null),
        // A step's rollback to its savepoint on a connection that just broke: the transaction is gone with it.
        ObjectDisposedException { InnerException: { } inner } => IsLoss(inner, connection),
        NpgsqlException or ObjectDisposedException or InvalidOperationException => connection is not null
            && (connection.FullState.HasFlag(ConnectionState.Broken) || connection.State == ConnectionState.Closed),
        _ => false,
    };

    /// <summary>
    /// The pause before another attempt, or null when there is none to make: the failure is not a loss, the
    /// attempts are spent, or this process never reached the server (a start-up failure is reported at once).
    /// </summary>
    public TimeSpan? NextPause(Exception exception, NpgsqlConnection? connection, int attempt)
    {
        if (Volatile.Read(ref _connected) == 0 || !IsLoss(exception, connection)) return null;
        Lost(exception);
        return attempt < Pauses.Length ? Pauses[attempt] : null;
    }

    public void Lost(Exception exception)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _loggedAt);
        if (now - last < QuietMilliseconds || Interlocked.CompareExchange(ref _loggedAt, now, last) != last) return;
        Volatile.Write(ref _announced, 1);
        LogLost(logger, database, Reason(exception));
    }

    public void Working()
    {
        Volatile.Write(ref _connected, 1);
        if (Interlocked.Exchange(ref _announced, 0) == 1) LogBack(logger, database);
    }

    /// <summary>The server's own words, or the socket's: one line, never the connection string.</summary>
    public static string Reason(Exception exception) => exception switch
    {
        PostgresException postgres => $"{postgres.MessageText} ({postgres.SqlState})",
        StorageUnavailableException unavailable => unavailable.Message,
        _ => (exception.InnerException ?? exception).Message.ReplaceLineEndings(" "),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to {Database}: {Reason}; reconnecting")]
    private static partial void LogLost(ILogger logger, string database, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Database} again")]
    private static partial void LogBack(ILogger logger, string database);
}
