using System.Data;
using System.Globalization;
using System.Reflection;
using Dapper;

namespace SpotMirror.Storage.Sqlite;

/// <summary>A forward-only schema script from migrations/, e.g. 0001_initial.sql.</summary>
public sealed record Migration(int Version, string Name, string Sql);

/// <summary>Applies the migrations/ scripts (embedded in this assembly) in order, each once, recorded in schema_migrations.</summary>
public sealed class Migrator(SqliteDatabase database)
{
    private const string ResourcePrefix = "migrations/";

    public static IReadOnlyList<Migration> Embedded()
    {
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Parse(n[ResourcePrefix.Length..], Read(assembly, n)))
            .OrderBy(m => m.Version)
            .ToList();
    }

    public static Migration Parse(string fileName, string sql)
    {
        var underscore = fileName.IndexOf('_', StringComparison.Ordinal);
        if (underscore <= 0 || !int.TryParse(fileName[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration file '{fileName}' must be named NNNN_name.sql.");
        }
        return new Migration(version, Path.GetFileNameWithoutExtension(fileName)[(underscore + 1)..], sql);
    }

    /// <summary>Applies what is missing; returns the versions applied now.</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) => MigrateAsync(Embedded(), cancellationToken);

    public Task<IReadOnlyList<int>> MigrateAsync(IReadOnlyList<Migration> migrations, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<int>>(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at INTEGER NOT NULL
                )
                """, transaction: transaction).ConfigureAwait(false);
            var applied = (await connection.QueryAsync<int>("SELECT version FROM schema_migrations", transaction: transaction).ConfigureAwait(false)).ToHashSet();
            var newest = migrations.Count == 0 ? 0 : migrations.Max(m => m.Version);
            var unknown = applied.Where(v => v > newest).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The database at {database.Path} has schema version {unknown.Max()}, newer than this build knows ({newest}). Use a newer SpotMirror or another --db.");
            }
            var done = new List<int>();
            foreach (var migration in migrations.Where(m => !applied.Contains(m.Version)).OrderBy(m => m.Version))
            {
                await connection.ExecuteAsync(migration.Sql, transaction: transaction).ConfigureAwait(false);
                await connection.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @At)",
                    new { migration.Version, migration.Name, At = IDatabase.Now() }, transaction).ConfigureAwait(false);
                done.Add(migration.Version);
            }
            return done;
        }, cancellationToken);

    public Task<IReadOnlyList<int>> AppliedAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<int>>(async connection =>
        {
            var exists = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").ConfigureAwait(false);
            if (exists == 0) return [];
            return (await connection.QueryAsync<int>("SELECT version FROM schema_migrations ORDER BY version").ConfigureAwait(false)).ToList();
        }, cancellationToken);

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
