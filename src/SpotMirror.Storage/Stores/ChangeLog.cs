using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Npgsql;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Storage;

/// <summary>Appends to the change feed inside the transaction that makes the change (see migration 0008).</summary>
internal static class ChangeLog
{
    /// <summary>The PostgreSQL channel a commit with changes notifies; followers LISTEN on it.</summary>
    internal const string Channel = "spotmirror_changes";

    /// <summary>LISTEN takes no parameter, so the statement is a constant of its own.</summary>
    internal const string Listen = "LISTEN spotmirror_changes";

    /// <summary>This process, as the writer of a change: new at every start.</summary>
    internal static readonly string Origin = Guid.NewGuid().ToString("N");

    /// <summary>
    /// A change made in the transaction. Inside a group commit's transaction the cells of a preferences change are
    /// kept and written with the transaction's others as one change (see <see cref="ChangeBuffer"/>); any other kind
    /// first writes the cells kept so far, so the feed keeps the order the changes were made in.
    /// </summary>
    internal static async Task AppendAsync(IDbConnection connection, IDbTransaction transaction, ChangeKind kind, long? userId, IReadOnlyList<PreferenceEntry> entries)
    {
        if (ChangeBuffer.Of(transaction) is { } buffer)
        {
            if (kind == ChangeKind.Preferences)
            {
                buffer.Add(entries);
                // A follower reads the feed a page of rows at a time: a row's cells are bounded so a page stays small.
                if (buffer.Unwritten >= ChangeBuffer.MaxCells) await buffer.FlushAsync(connection, transaction).ConfigureAwait(false);
                return;
            }
            await buffer.FlushAsync(connection, transaction).ConfigureAwait(false);
        }
        await InsertAsync(connection, transaction, kind, userId, entries).ConfigureAwait(false);
    }

    internal static async Task InsertAsync(IDbConnection connection, IDbTransaction transaction, ChangeKind kind, long? userId, IReadOnlyList<PreferenceEntry> entries)
    {
        await Statements.ExecuteAsync(connection, transaction,
            "INSERT INTO changes (kind, user_id, entries, origin, created_at) VALUES (@kind, @userId, @entries, @origin, @at)",
            ("@kind", Name(kind)), ("@userId", userId), ("@entries", JsonSerializer.Serialize(entries)), ("@origin", Origin), ("@at", IDatabase.Now())).ConfigureAwait(false);
        // NOTIFY is delivered at commit (never for a rollback), and several in one transaction arrive as one.
        if (connection is NpgsqlConnection)
        {
            await connection.ExecuteAsync("SELECT pg_notify(@channel, '')", new { channel = Channel }, transaction).ConfigureAwait(false);
        }
    }

    internal static string Name(ChangeKind kind) => kind switch
    {
        ChangeKind.Forget => "forget",
        ChangeKind.Catalogue => "catalogue",
        ChangeKind.Model => "model",
        _ => "preferences",
    };

    internal static ChangeKind Parse(string kind) => kind switch
    {
        "forget" => ChangeKind.Forget,
        "catalogue" => ChangeKind.Catalogue,
        "model" => ChangeKind.Model,
        _ => ChangeKind.Preferences,
    };
}

/// <summary>
/// The preference cells one transaction changed, written as one change row instead of one per event: a follower or a
/// snapshot's replay sets the cells in the order they were made, which is what one row per event did (a cell named
/// twice ends as its last value). Savepoints take back what they cover: a unit or step that fails restores the mark
/// taken when it began, both the cells kept and the point up to which they were written (a row written inside it
/// went with it), so the cells before it are written again and its own never are.
/// </summary>
internal sealed class ChangeBuffer
{
    private static readonly ConditionalWeakTable<DbTransaction, ChangeBuffer> Open = new();
    private readonly List<PreferenceEntry> _cells = [];
    private int _written;

    public const int MaxCells = SqlChangeFeed.MaxCellsPerChange;

    public int Unwritten => _cells.Count - _written;

    /// <summary>Starts keeping the preference changes of this transaction.</summary>
    public static ChangeBuffer Attach(DbTransaction transaction)
    {
        var buffer = new ChangeBuffer();
        Open.AddOrUpdate(transaction, buffer);
        return buffer;
    }

    /// <summary>The buffer of a group commit's transaction; null for any other transaction, which writes each change at once.</summary>
    public static ChangeBuffer? Of(IDbTransaction transaction) => transaction is DbTransaction open && Open.TryGetValue(open, out var buffer) ? buffer : null;

    public (int Cells, int Written) Mark => (_cells.Count, _written);

    public void Restore((int Cells, int Written) mark)
    {
        _cells.RemoveRange(mark.Cells, _cells.Count - mark.Cells);
        _written = mark.Written;
    }

    public void Add(IReadOnlyList<PreferenceEntry> entries) => _cells.AddRange(entries);

    /// <summary>One change row for the cells kept since the last one; its user is theirs when they are all one user's.</summary>
    public async Task FlushAsync(IDbConnection connection, IDbTransaction transaction)
    {
        if (_written == _cells.Count) return;
        var cells = _cells.GetRange(_written, _cells.Count - _written);
        var user = cells[0].UserId;
        await ChangeLog.InsertAsync(connection, transaction, ChangeKind.Preferences, cells.TrueForAll(c => c.UserId == user) ? user : null, cells).ConfigureAwait(false);
        _written = _cells.Count;
    }
}

/// <summary>The change feed over the configured database.</summary>
public sealed class SqlChangeFeed(IDatabase database) : IChangeFeed
{
    /// <summary>Preference cells one change holds at most (about 25 KB of JSON), so a page of changes stays small.</summary>
    public const int MaxCellsPerChange = 256;

    private sealed record ChangeRow(long Id, string Kind, long? UserId, string Entries, string Origin);

    public Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) FROM changes", cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<Change>> AfterAsync(long id, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Change>>(async c => (await c.QueryAsync<ChangeRow>(new CommandDefinition(
            "SELECT id, kind, user_id, entries, origin FROM changes WHERE id > @id ORDER BY id LIMIT @max", new { id, max }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .Select(r => new Change(r.Id, ChangeLog.Parse(r.Kind), r.UserId, JsonSerializer.Deserialize<List<PreferenceEntry>>(r.Entries) ?? [], r.Origin == ChangeLog.Origin))
            .ToList(), cancellationToken);

    public Task WaitAsync(TimeSpan max, CancellationToken cancellationToken) => database.WaitForChangesAsync(max, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM changes WHERE created_at < @cutoff", new { cutoff = before.ToUnixTimeMilliseconds() }, t, cancellationToken: cancellationToken)), cancellationToken);
}
