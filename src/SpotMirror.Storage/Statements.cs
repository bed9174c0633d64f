using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SpotMirror.Storage;

/// <summary>
/// The feedback path's statements, kept compiled for the life of a SQLite connection: the writer keeps its connection
/// across commits (SqliteDatabase), so every event after the first since it was opened runs the statements already
/// compiled, where Dapper compiles a new command per call. SQLite finalises them when the connection closes (after a
/// failed transaction the writer's is closed and a new one opened). PostgreSQL takes them through Dapper as before
/// (Npgsql prepares on the server by its own rules).
/// </summary>
internal enum Savepoint
{
    Save,
    Rollback,
    Release,
}

internal static class Statements
{
    private static readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> Compiled = new();

    public static async Task<int> ExecuteAsync(IDbConnection connection, IDbTransaction transaction, string sql, params (string Name, object? Value)[] values)
    {
        if (connection is not SqliteConnection sqlite) return await connection.ExecuteAsync(sql, Parameters(values), transaction).ConfigureAwait(false);
        return await Command(sqlite, transaction, sql, values).ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public static async Task<T> ScalarAsync<T>(IDbConnection connection, IDbTransaction transaction, string sql, params (string Name, object? Value)[] values)
    {
        if (connection is not SqliteConnection sqlite) return (await connection.ExecuteScalarAsync<T>(sql, Parameters(values), transaction).ConfigureAwait(false))!;
        var value = await Command(sqlite, transaction, sql, values).ExecuteScalarAsync().ConfigureAwait(false);
        return (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>Every row, each mapped while the reader is on it.</summary>
    public static async Task<List<T>> RowsAsync<T>(IDbConnection connection, IDbTransaction transaction, string sql, Func<IDataRecord, T> map, params (string Name, object? Value)[] values)
    {
        var rows = new List<T>();
        var reader = connection is SqliteConnection sqlite
            ? await Command(sqlite, transaction, sql, values).ExecuteReaderAsync().ConfigureAwait(false)
            : (DbDataReader)await ((DbConnection)connection).ExecuteReaderAsync(sql, Parameters(values), transaction).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync().ConfigureAwait(false)) rows.Add(map(reader));
        }
        return rows;
    }

    /// <summary>
    /// A savepoint's SAVEPOINT, ROLLBACK TO or RELEASE. On SQLite these run as statements kept compiled like the others
    /// (the provider's own calls compile each afresh, three to five per event); savepoints nest strictly, so names by
    /// depth repeat and the few statements are reused. PostgreSQL takes the provider's calls.
    /// </summary>
    public static Task SavepointAsync(IDbConnection connection, DbTransaction transaction, Savepoint step, string name, CancellationToken cancellationToken)
    {
        if (connection is SqliteConnection sqlite)
        {
            var sql = step switch
            {
                Savepoint.Save => "SAVEPOINT " + name,
                Savepoint.Rollback => "ROLLBACK TO " + name,
                _ => "RELEASE " + name,
            };
            return Command(sqlite, transaction, sql, []).ExecuteNonQueryAsync(cancellationToken);
        }
        return step switch
        {
            Savepoint.Save => transaction.SaveAsync(name, cancellationToken),
            Savepoint.Rollback => transaction.RollbackAsync(name, cancellationToken),
            _ => transaction.ReleaseAsync(name, cancellationToken),
        };
    }

    private static SqliteCommand Command(SqliteConnection connection, IDbTransaction transaction, string sql, (string Name, object? Value)[] values)
    {
        var commands = Compiled.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, _) in values) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            commands[sql] = command;
        }
        command.Transaction = (SqliteTransaction)transaction;
        // Same statement, same names in the same order: only the values change.
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i].Value ?? DBNull.Value;
        return command;
    }

    private static DynamicParameters Parameters((string Name, object? Value)[] values)
    {
        var parameters = new DynamicParameters();
        foreach (var (name, value) in values) parameters.Add(name, value);
        return parameters;
    }
}
