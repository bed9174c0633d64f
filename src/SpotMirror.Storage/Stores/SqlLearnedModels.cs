using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Ports;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Storage;

/// <summary>
/// The published learned model (learned_models, migration 0009), in the factor file's own format. On SQLite the factors
/// are the file beside the database and the row names it; on PostgreSQL they are the row's body. A row with
/// published_at 0 is staged: its body is still being written, and no reader takes it.
/// </summary>
public sealed class SqlLearnedModels(IDatabase database) : ILearnedModels
{
    /// <summary>The body of a SQLite row whose factors are in the file beside the database.</summary>
    private static readonly byte[] FileReference = "SMIALREF"u8.ToArray();

    /// <remarks>
    /// The factors are a quarter of a gigabyte at a million tracks, and neither provider's writer is held while they are
    /// written: on SQLite (every worker on this machine) they go to the file beside the database, written aside and moved
    /// over the old one, where a blob cost a zero-filled copy and the data again through the write-ahead log, with this
    /// process's only writer held for seconds; on PostgreSQL they are streamed into a staged row outside the cluster-wide
    /// writer lock. Then one short transaction publishes: the staged row marked published (on SQLite, the row naming the
    /// file inserted published), the older ones deleted, a Model change for the other workers. A worker that dies half-way
    /// leaves a staged row no reader takes; the next publication deletes it.
    /// </remarks>
    public async Task<long> PublishAsync(ImplicitAlsModel model, ulong catalogFingerprint, int catalogCount, string publishedBy, CancellationToken cancellationToken)
    {
        long? staged = null;
        if (database is SqliteDatabase sqlite)
        {
            var path = LearnedModelFile.PathBeside(sqlite.Path);
            await Task.Run(() => LearnedModelFile.Save(path, model, catalogFingerprint, catalogCount), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using var body = LearnedModelFile.OpenRead(model, catalogFingerprint, catalogCount);
            staged = await StageStreamedAsync(body, publishedBy, cancellationToken).ConfigureAwait(false);
        }
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var at = Math.Max(1, IDatabase.Now());
            long id;
            if (staged is { } row)
            {
                var marked = await connection.ExecuteAsync(
                    "UPDATE learned_models SET published_at = @at WHERE id = @row", new { at, row }, transaction).ConfigureAwait(false);
                if (marked != 1) throw new StoreFaultException(StoreFault.Busy, "The staged learned model was deleted before it was published (another worker published meanwhile).", null);
                id = row;
            }
            else
            {
                id = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO learned_models (published_by, published_at, body) VALUES (@publishedBy, @at, @body) RETURNING id",
                    new { publishedBy, at, body = FileReference }, transaction).ConfigureAwait(false);
            }
            // One row: the factors are large, and only the newest is ever loaded.
            await connection.ExecuteAsync("DELETE FROM learned_models WHERE id <> @id", new { id }, transaction).ConfigureAwait(false);
            await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Model, null, []).ConfigureAwait(false);
            return id;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PostgreSQL: the staged row in one statement outside the writer lock (row versions need no writer), its body streamed to the server.</summary>
    private Task<long> StageStreamedAsync(Stream body, string publishedBy, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            body.Position = 0;
            await using var command = new NpgsqlCommand(
                "INSERT INTO learned_models (published_by, published_at, body) VALUES (@publishedBy, 0, @body) RETURNING id", (NpgsqlConnection)connection);
            command.Parameters.AddWithValue("publishedBy", publishedBy);
            command.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Bytea) { Value = body, Size = checked((int)body.Length) });
            return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }, cancellationToken);

    public Task<long> LatestIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(MAX(id), 0) FROM learned_models WHERE published_at > 0", cancellationToken: cancellationToken)), cancellationToken);

    public Task<(long Id, ImplicitAlsModel? Model, string? Refused)> LatestAsync(ulong catalogFingerprint, int catalogCount, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            if (c is SqliteConnection sqlite)
            {
                var latest = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT MAX(id) FROM learned_models WHERE published_at > 0", cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (latest is not { } at) return (0L, (ImplicitAlsModel?)null, (string?)"none published");
                // Read in place: no byte array of the whole body (a row of an older version holds the factors themselves).
                using var blob = new SqliteBlob(sqlite, "learned_models", "body", at, readOnly: true);
                var head = new byte[FileReference.Length];
                if (blob.Length == FileReference.Length && blob.Read(head) == head.Length && head.AsSpan().SequenceEqual(FileReference))
                {
                    var (fromFile, refusedFile) = LearnedModelFile.Load(LearnedModelFile.PathBeside(((SqliteDatabase)database).Path), catalogFingerprint, catalogCount);
                    return (at, fromFile, refusedFile);
                }
                blob.Position = 0;
                var (read, why) = LearnedModelFile.FromStream(blob, catalogFingerprint, catalogCount);
                return (at, read, why);
            }
            // PostgreSQL: the body read off the wire straight into the model's arrays (sequential access), never held whole
            // in a byte array first, which was 291 MB more at a million tracks on every worker that loads it.
            await using var command = new NpgsqlCommand(
                "SELECT id, octet_length(body)::bigint, body FROM learned_models WHERE published_at > 0 ORDER BY id DESC LIMIT 1", (NpgsqlConnection)c);
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return (0L, (ImplicitAlsModel?)null, (string?)"none published");
            var id = reader.GetInt64(0);
            var length = reader.GetInt64(1);
            await using var body = await reader.GetStreamAsync(2, cancellationToken).ConfigureAwait(false);
            // The format's reader is synchronous: off the caller's thread, as the file's load is.
            var (model, refused) = await Task.Run(() => LearnedModelFile.FromStream(body, length, catalogFingerprint, catalogCount), cancellationToken).ConfigureAwait(false);
            return (id, model, refused);
        }, cancellationToken);
}
