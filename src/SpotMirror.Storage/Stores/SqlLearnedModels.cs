using Dapper;
using Microsoft.Data.Sqlite;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>The published learned model (learned_models, migration 0009), in the factor file's own format.</summary>
public sealed class SqlLearnedModels(IDatabase database) : ILearnedModels
{
    private sealed record ModelRow(long Id, byte[] Body);

    /// <remarks>
    /// On SQLite the row gets a blob of the model's size that is then written in place: at a million tracks the model
    /// is over half a gigabyte, and a byte array of it (plus SQLite's own copy of a bound blob) briefly doubled the
    /// worker's memory at every publication. PostgreSQL takes one array of the exact size.
    /// </remarks>
    public Task<long> PublishAsync(ImplicitAlsModel model, ulong catalogFingerprint, int catalogCount, string publishedBy, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            // One row: the factors are large, and only the newest is ever loaded.
            await connection.ExecuteAsync("DELETE FROM learned_models", transaction: transaction).ConfigureAwait(false);
            long id;
            if (connection is SqliteConnection sqlite)
            {
                id = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO learned_models (published_by, published_at, body) VALUES (@publishedBy, @at, zeroblob(@size)) RETURNING id",
                    new { publishedBy, at = IDatabase.Now(), size = LearnedModelFile.SizeOf(model) }, transaction).ConfigureAwait(false);
                using var blob = new SqliteBlob(sqlite, "learned_models", "body", id);
                LearnedModelFile.WriteTo(blob, model, catalogFingerprint, catalogCount);
            }
            else
            {
                var body = LearnedModelFile.ToBytes(model, catalogFingerprint, catalogCount);
                id = await connection.ExecuteScalarAsync<long>(
                    "INSERT INTO learned_models (published_by, published_at, body) VALUES (@publishedBy, @at, @body) RETURNING id",
                    new { publishedBy, at = IDatabase.Now(), body }, transaction).ConfigureAwait(false);
            }
            await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Model, null, []).ConfigureAwait(false);
            return id;
        }, cancellationToken);

    public Task<long> LatestIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(MAX(id), 0) FROM learned_models", cancellationToken: cancellationToken)), cancellationToken);

    public Task<(long Id, ImplicitAlsModel? Model, string? Refused)> LatestAsync(ulong catalogFingerprint, int catalogCount, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            if (c is SqliteConnection sqlite)
            {
                // Read in place, like the write: no byte array of the whole model beside the model itself.
                var latest = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
                    "SELECT MAX(id) FROM learned_models", cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (latest is not { } at) return (0L, (ImplicitAlsModel?)null, (string?)"none published");
                using var blob = new SqliteBlob(sqlite, "learned_models", "body", at, readOnly: true);
                var (read, why) = LearnedModelFile.FromStream(blob, catalogFingerprint, catalogCount);
                return (at, read, why);
            }
            var row = await c.QuerySingleOrDefaultAsync<ModelRow>(new CommandDefinition(
                "SELECT id, body FROM learned_models ORDER BY id DESC LIMIT 1", cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (row is null) return (0L, (ImplicitAlsModel?)null, (string?)"none published");
            var (model, refused) = LearnedModelFile.FromBytes(row.Body, catalogFingerprint, catalogCount);
            return (row.Id, model, refused);
        }, cancellationToken);
}
