using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SpotMirror.Storage;

/// <summary>
/// Where the database stands, as a start-up snapshot records it and checks it: the schema version and when the
/// database was made (its first migration's time), the change
/// feed's newest id, counts and highest ids of the catalogue tables (which change only with a catalogue change
/// or an edit behind the workers' backs), and how many preference cells the loader would make.
/// </summary>
/// FeedWhole: every change after the id asked about is still in the feed (none was pruned).
public sealed record SnapshotMark(long Schema, long Born, long LastChange, long[] Catalogue, long PreferenceCells, bool FeedWhole);

/// <summary>
/// Reads a <see cref="SnapshotMark"/> in one read transaction, so its numbers describe one moment. Each is an
/// index count or a max: at a million tracks and ten million preferences the lot takes a fraction of a second
/// (a sum over the rows would read the tables and cost as much as the load it stands for).
/// </summary>
public sealed class SqlSnapshotMarks(IDatabase database)
{
    /// <remarks>
    /// On SQLite the feed's newest id is AUTOINCREMENT's counter, which pruning does not lower: after an idle hour
    /// the table may be empty while its ids go on from where they were. Ids have no holes there (one writer at a
    /// time, and a rolled-back insert gives its id back), so the feed is whole after an id when the first change
    /// kept after it is the next id, or there is none and the counter is at it.
    /// </remarks>
    public Task<SnapshotMark> ReadAsync(long after, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            // Deferred on SQLite: a read transaction that takes no write lock, yet reads one snapshot of the file.
            using var transaction = connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: true) : connection.BeginTransaction(IsolationLevel.RepeatableRead);
            var schema = await Scalar(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken).ConfigureAwait(false);
            // When the first migration ran: a database made again at the same path (or a copy put there) was born at another time.
            var born = await Scalar(connection, transaction, "SELECT COALESCE(MIN(applied_at), 0) FROM schema_migrations", cancellationToken).ConfigureAwait(false);
            var last = await Scalar(connection, transaction, LastChangeSql(connection), cancellationToken).ConfigureAwait(false);
            var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MIN(id) FROM changes WHERE id > @after", new { after }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var catalogue = new List<long>();
            foreach (var sql in CatalogueQueries)
            {
                using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                while (reader.Read())
                {
                    for (var i = 0; i < reader.FieldCount; i++) catalogue.Add(reader.IsDBNull(i) ? 0 : Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            var cells = await Scalar(connection, transaction, "SELECT COUNT(*) FROM preferences", cancellationToken).ConfigureAwait(false)
                + await Scalar(connection, transaction, ImportedOnlyCells, cancellationToken).ConfigureAwait(false);
            transaction.Commit();
            return new SnapshotMark(schema, born, last, [.. catalogue], cells, next is null ? last == after : next == after + 1);
        }, cancellationToken);

    /// <summary>The feed's newest id as <see cref="ReadAsync"/> counts it (an emptied SQLite feed still says where its ids are).</summary>
    public Task<long> LastChangeAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.ExecuteScalarAsync<long>(new CommandDefinition(LastChangeSql(connection), cancellationToken: cancellationToken)), cancellationToken);

    private static string LastChangeSql(IDbConnection connection) => connection is SqliteConnection
        ? "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)"
        : "SELECT COALESCE(MAX(id), 0) FROM changes";

    private static readonly string[] CatalogueQueries =
    [
        "SELECT COUNT(*), MAX(id), MAX(updated_at) FROM tracks",
        "SELECT COUNT(*) FROM track_tags",
        "SELECT COUNT(*), MAX(id) FROM artists",
        "SELECT COUNT(*) FROM track_provider_ids",
    ];

    /// <summary>Cells only an import gives (the loader adds them after the table's own rows).</summary>
    private const string ImportedOnlyCells =
        "SELECT COUNT(*) FROM (SELECT DISTINCT i.user_id, i.track_id FROM imported_preferences i WHERE NOT EXISTS (SELECT 1 FROM preferences p WHERE p.user_id = i.user_id AND p.track_id = i.track_id)) AS cells";

    private static async Task<long> Scalar(IDbConnection connection, IDbTransaction transaction, string sql, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
}
