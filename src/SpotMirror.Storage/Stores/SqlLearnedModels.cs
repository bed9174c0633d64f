using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>
/// The published learned model (learned_models, migration 0009), in the factor file's own format. A row with
/// published_at 0 is staged: its body is still being written, and no reader takes it.
/// </summary>
public sealed class SqlLearnedModels(IDatabase database) : ILearnedModels
{
    /// <summary>Bytes per unit of work while a staged SQLite body is written: a few milliseconds of the writer each.</summary>
    public const int ChunkBytes = 4 << 20;

    private sealed record ModelRow(long Id, byte[] Body);

    /// <remarks>
    /// The body (a quarter of a gigabyte at a million tracks) is written into a staged row without holding the writer
    /// for the whole of it: on SQLite the writer is this process's only one and on PostgreSQL every worker's, so one
    /// transaction of the whole body kept every like waiting for seconds. Then one short transaction publishes it:
    /// marks it published, deletes the older ones and tells the other workers (the change feed). A worker that dies
    /// half-way leaves a staged row no reader takes; the next publication deletes it.
    /// </remarks>
    public async Task<long> PublishAsync(ImplicitAlsModel model, ulong catalogFingerprint, int catalogCount, string publishedBy, CancellationToken cancellationToken)
    {
        await using var body = LearnedModelFile.OpenRead(model, catalogFingerprint, catalogCount);
        var id = await StageAsync(body, publishedBy, cancellationToken).ConfigureAwait(false);
        return await database.WriteAsync(async (connection, transaction) =>
        {
            var marked = await connection.ExecuteAsync(
                "UPDATE learned_models SET published_at = @at WHERE id = @id",
                new { id, at = Math.Max(1, IDatabase.Now()) }, transaction).ConfigureAwait(false);
            if (marked != 1) throw new StoreFaultException(StoreFault.Busy, "The staged learned model was deleted before it was published (another worker published meanwhile).", null);
            // One row: the factors are large, and only the newest is ever loaded.
            await connection.ExecuteAsync("DELETE FROM learned_models WHERE id <> @id", new { id }, transaction).ConfigureAwait(false);
            await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Model, null, []).ConfigureAwait(false);
            return id;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> StageAsync(Stream body, string publishedBy, CancellationToken cancellationToken)
    {
        var id = await database.WriteAsync(async (connection, transaction) =>
        {
            if (connection is not SqliteConnection) return 0L;
            // SQLite: the body's space in one statement (zeroblob), then the bytes in pieces, each in a unit of its own.
            await connection.ExecuteAsync("DELETE FROM learned_models WHERE published_at = 0", transaction: transaction).ConfigureAwait(false);
            return await connection.ExecuteScalarAsync<long>(
                "INSERT INTO learned_models (published_by, published_at, body) VALUES (@publishedBy, 0, zeroblob(@size)) RETURNING id",
                new { publishedBy, size = body.Length }, transaction).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (id == 0) return await StageStreamedAsync(body, publishedBy, cancellationToken).ConfigureAwait(false);

        var buffer = new byte[ChunkBytes];
        while (body.Position < body.Length)
        {
            var (offset, count) = (body.Position, body.Read(buffer));
            await database.WriteAsync((connection, _) =>
            {
                using var blob = new SqliteBlob((SqliteConnection)connection, "learned_models", "body", id);
                blob.Seek(offset, SeekOrigin.Begin);
                blob.Write(buffer, 0, count);
                return Task.FromResult(0);
            }, cancellationToken).ConfigureAwait(false);
        }
        return id;
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
                // Read in place, like the write: no byte array of the whole model beside the model itself.
                var latest = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT MAX(id) FROM learned_models WHERE published_at > 0", cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (latest is not { } at) return (0L, (ImplicitAlsModel?)null, (string?)"none published");
                using var blob = new SqliteBlob(sqlite, "learned_models", "body", at, readOnly: true);
                var (read, why) = LearnedModelFile.FromStream(blob, catalogFingerprint, catalogCount);
                return (at, read, why);
            }
            var row = await c.QuerySingleOrDefaultAsync<ModelRow>(new CommandDefinition(
                "SELECT id, body FROM learned_models WHERE published_at > 0 ORDER BY id DESC LIMIT 1", cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row is null) return (0L, (ImplicitAlsModel?)null, (string?)"none published");
            var (model, refused) = LearnedModelFile.FromBytes(row.Body, catalogFingerprint, catalogCount);
            return (row.Id, model, refused);
        }, cancellationToken);
}
