using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using SpotMirror.Storage.Postgres;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Storage.Copy;

/// <summary>How far the copy of one table has come (after each committed batch).</summary>
public sealed record CopyProgress(string Table, long Done, long Total);

/// <summary>One table's copy: rows read from the source, and how many of them the target did not hold yet.</summary>
public sealed record TableCopied(string Table, long Rows, long Inserted)
{
    public long AlreadyThere => Rows - Inserted;
}

public sealed record CopyReport(string Source, string Target, IReadOnlyList<int> TargetMigrations, IReadOnlyList<TableCopied> Tables);

/// <summary>
/// Moves a SQLite database to PostgreSQL (`storage copy --to postgres`). The target is migrated first; then
/// each table of <see cref="CopyPlan"/> is read in primary key order from one snapshot of the source and
/// written in batches, one transaction each, every row inserted only when its key is new. So a second run
/// changes nothing, and a run cut off at any moment is finished by running it again. A key the target holds
/// with other values stops the copy instead of being overwritten. Identity sequences are then set past the
/// copied ids.
/// </summary>
public sealed class SqliteToPostgresCopy : IDisposable
{
    public const int DefaultBatchSize = 5000;

    private readonly SqliteDatabase _source;
    private readonly PostgresDatabase _target;
    private readonly int _batchSize;

    public SqliteToPostgresCopy(string sourcePath, string targetConnectionString, int batchSize = DefaultBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var path = System.IO.Path.GetFullPath(sourcePath);
        // Opening a missing file would create an empty database and copy nothing, successfully.
        if (!File.Exists(path)) throw new StorageUnavailableException($"There is no SQLite database at {path} to copy; name it with --from PATH (or --db, or Storage:Path).");
        _target = new PostgresDatabase(targetConnectionString);
        _source = new SqliteDatabase(path);
        _batchSize = batchSize;
    }

    public string Source => _source.Describe;

    public string Target => _target.Describe;

    public async Task<CopyReport> RunAsync(IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        await _target.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
        // Both sides at this build's schema, so they have the same columns (a source at a newer one is refused here).
        await _source.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var migrated = await _target.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await EnsureNoWorkersAsync(cancellationToken).ConfigureAwait(false);

        await using var sqlite = await _source.OpenAsync(cancellationToken).ConfigureAwait(false);
        // A deferred read transaction: every table comes from one snapshot, so foreign keys hold across tables
        // even if something writes to the source meanwhile.
        await using var snapshot = sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true);
        await using var postgres = await _target.OpenAsync(cancellationToken).ConfigureAwait(false);
        var copied = new List<TableCopied>();
        var shapes = new List<TableShape>();
        foreach (var table in CopyPlan.Copied)
        {
            var shape = await TableShape.ReadAsync(postgres, sqlite, table, cancellationToken).ConfigureAwait(false);
            shapes.Add(shape);
            copied.Add(await CopyTableAsync(sqlite, snapshot, postgres, shape, progress, cancellationToken).ConfigureAwait(false));
        }
        foreach (var shape in shapes) await AdvanceIdentityAsync(postgres, shape, cancellationToken).ConfigureAwait(false);
        return new CopyReport(Source, Target, migrated, copied);
    }

    private async Task<TableCopied> CopyTableAsync(SqliteConnection sqlite, SqliteTransaction snapshot, NpgsqlConnection postgres, TableShape shape, IProgress<CopyProgress>? progress, CancellationToken cancellationToken)
    {
        var total = await sqlite.ExecuteScalarAsync<long>(new CommandDefinition(shape.SourceCount, transaction: snapshot, cancellationToken: cancellationToken)).ConfigureAwait(false);
        long done = 0, inserted = 0;
        object?[]? after = null;
        progress?.Report(new CopyProgress(shape.Table, 0, total));
        while (true)
        {
            var rows = await ReadBatchAsync(sqlite, snapshot, shape, after, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 0) break;
            inserted += await WriteBatchAsync(postgres, shape, rows, cancellationToken).ConfigureAwait(false);
            done += rows.Count;
            after = shape.KeyOf(rows[^1]);
            progress?.Report(new CopyProgress(shape.Table, done, total));
            if (rows.Count < _batchSize) break;
        }
        return new TableCopied(shape.Table, done, inserted);
    }

    private async Task<List<object?[]>> ReadBatchAsync(SqliteConnection sqlite, SqliteTransaction snapshot, TableShape shape, object?[]? after, CancellationToken cancellationToken)
    {
        await using var command = sqlite.CreateCommand();
        command.Transaction = snapshot;
        command.CommandText = after is null ? shape.SourceFirst : shape.SourceAfter;
        command.Parameters.AddWithValue("@limit", _batchSize);
        for (var i = 0; after is not null && i < after.Length; i++) command.Parameters.AddWithValue($"@k{i}", after[i] ?? DBNull.Value);
        var rows = new List<object?[]>(_batchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[shape.Columns.Count];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>One transaction, one round trip: each row inserted when its key is new, else compared with what is there.</summary>
    private async Task<long> WriteBatchAsync(NpgsqlConnection postgres, TableShape shape, List<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var transaction = await postgres.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // The workers' writer lock: no worker's unit of work interleaves with a batch.
        await postgres.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = PostgresDatabase.WriterLockKey }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(postgres, transaction);
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand(shape.TargetInsert);
            foreach (var value in row) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            batch.BatchCommands.Add(command);
        }
        long inserted = 0, differing = 0;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var added = reader.GetInt64(0);
                inserted += added;
                if (added == 0 && reader.GetInt64(1) == 0) differing++;
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ForeignKeyViolation)
        {
            throw new StorageUnavailableException(
                $"{_target.Describe}: copying {shape.Table} clashes with rows the target already holds ({exception.ConstraintName}); nothing was overwritten. Copy into an empty database.", exception);
        }
        if (differing > 0)
        {
            throw new StorageUnavailableException(
                $"{_target.Describe}: {differing} row(s) of {shape.Table} have the same key as in the source but other values (the target was used or filled from elsewhere since); nothing was overwritten. Copy into an empty database.");
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>Sets each identity's sequence past the highest id, so the next row made on the target does not reuse a copied id.</summary>
    private static async Task AdvanceIdentityAsync(NpgsqlConnection postgres, TableShape shape, CancellationToken cancellationToken)
    {
        foreach (var advance in shape.IdentityAdvances)
        {
            await postgres.ExecuteAsync(new CommandDefinition(advance.Sql, new { table = shape.Table, column = advance.Column }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Running workers would not see the copied rows (the copy writes no change feed) and could write keys the
    /// copy is about to bring: refused while any holds a lease or listens for the feed on the target.
    /// </summary>
    private async Task EnsureNoWorkersAsync(CancellationToken cancellationToken)
    {
        var live = await _target.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            SELECT (SELECT COUNT(*) FROM leases WHERE expires_at > CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT))
                 + (SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query = @listen)
            """, new { listen = ChangeLog.Listen }, cancellationToken: cancellationToken)), cancellationToken).ConfigureAwait(false);
        if (live > 0)
        {
            throw new StorageUnavailableException(
                $"{_target.Describe}: SpotMirror workers are running on the target (they hold a lease or follow the change feed); stop them, run the copy, then start them again.");
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }
}
