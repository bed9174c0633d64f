using System.Reflection;
using Dapper;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Storage.Postgres;

/// <summary>
/// Applies migrations/postgres/ (embedded in this assembly) in order, each once, recorded in schema_migrations.
/// The whole run is one transaction under an advisory lock, so workers that start together queue up: the
/// first applies, the rest find nothing left to do. PostgreSQL's DDL is transactional, so a failed script
/// leaves nothing half applied.
/// </summary>
public sealed class PostgresMigrator(PostgresDatabase database)
{
    private const string ResourcePrefix = "postgres-migrations/";

    /// <summary>The advisory lock key of schema changes ("SpotMigr" as an integer).</summary>
    private const long MigrationLockKey = 0x53706f744d696772;

    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Migrator.Parse(n[ResourcePrefix.Length..], Read(assembly, n)))
            .OrderBy(m => m.Version)
            .ToList();
    }

    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(Embedded(), cancellationToken);

    public async Task<IReadOnlyList<int>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = MigrationLockKey }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    BIGINT PRIMARY KEY,
                name       TEXT   NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .Select(v => (int)v).ToHashSet();
        var newest = migrations.Count == 0 ? 0 : migrations.Max(m => m.Version);
        var unknown = applied.Where(v => v > newest).ToList();
        if (unknown.Count > 0)
        {
            throw new StorageUnavailableException(
                $"The database {database.Describe} has schema version {unknown.Max()}, newer than this build knows ({newest}). Use a newer SpotMirror or another database.");
        }
        var done = new List<int>();
        foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
        {
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                new { Version = (long)migration.Version, migration.Name, At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            done.Add(migration.Version);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return done;
    }

    public Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<int>>(async connection =>
        {
            var exists = await connection.ExecuteScalarAsync<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL").ConfigureAwait(false);
            if (!exists) return [];
            return (await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version").ConfigureAwait(false)).Select(v => (int)v).ToList();
        }, cancellationToken);

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
