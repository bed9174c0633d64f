using Dapper;
using Npgsql;
using SpotMirror.Storage.Postgres;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

public sealed class PostgresMigrationTests : IDisposable
{
    private readonly TempPostgresDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Every_sqlite_migration_has_a_postgres_twin_with_the_same_number_and_name()
    {
        Assert.Equal(
            Migrator.Embedded().Select(m => (m.Version, m.Name)),
            PostgresMigrator.Embedded().Select(m => (m.Version, m.Name)));
    }

    [Fact]
    public async Task A_fresh_database_gets_every_table_and_records_each_migration()
    {
        var applied = await new PostgresMigrator(_db.Database).MigrateAsync(CancellationToken.None);

        Assert.Equal(PostgresMigrator.Embedded().Select(m => m.Version), applied);
        var tables = await _db.Database.ReadAsync(c => c.QueryAsync<string>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"), CancellationToken.None);
        var sqliteTables = await SqliteTablesAsync();
        Assert.Equal(sqliteTables.Order(StringComparer.Ordinal), tables.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Every_sqlite_column_has_a_postgres_column_of_the_same_name_in_the_same_table()
    {
        await new PostgresMigrator(_db.Database).MigrateAsync(CancellationToken.None);

        var columns = await _db.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'"), CancellationToken.None);
        using var sqlite = new TempDatabase();
        await new Migrator(sqlite.Database).MigrateAsync(CancellationToken.None);
        var sqliteColumns = await sqlite.Database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"), CancellationToken.None);
        Assert.Equal(sqliteColumns.Order(StringComparer.Ordinal), columns.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time()
    {
        var migrator = new PostgresMigrator(_db.Database);
        await migrator.MigrateAsync(CancellationToken.None);

        Assert.Empty(await migrator.MigrateAsync(CancellationToken.None));
        Assert.Equal(PostgresMigrator.Embedded().Select(m => m.Version), await migrator.AppliedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Workers_starting_together_apply_each_migration_exactly_once()
    {
        var workers = Enumerable.Range(0, 4).Select(_ => new PostgresDatabase(_db.ConnectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(workers.Select(w => new PostgresMigrator(w).MigrateAsync(CancellationToken.None)));

            Assert.Equal(PostgresMigrator.Embedded().Select(m => m.Version), results.SelectMany(r => r).Order());
        }
        finally
        {
            foreach (var worker in workers) worker.Dispose();
        }
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        var good = new Migration(1, "things", "CREATE TABLE things (id BIGINT PRIMARY KEY);");
        var bad = new Migration(2, "broken", "CREATE TABLE oops (;");

        await Assert.ThrowsAnyAsync<PostgresException>(() => new PostgresMigrator(_db.Database).MigrateAsync([good, bad], CancellationToken.None));

        Assert.Empty(await new PostgresMigrator(_db.Database).AppliedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_database_at_a_newer_schema_is_refused_in_one_sentence()
    {
        var migrator = new PostgresMigrator(_db.Database);
        await migrator.MigrateAsync([new Migration(1, "a", "SELECT 1;"), new Migration(7, "b", "SELECT 1;")], CancellationToken.None);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => migrator.MigrateAsync([new Migration(1, "a", "SELECT 1;")], CancellationToken.None));

        Assert.Contains("schema version 7, newer than this build knows (1)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task A_wrong_password_is_one_sentence_without_the_password()
    {
        const string wrong = "not-the-password-42";
        using var database = new PostgresDatabase(PostgresCluster.Shared.ConnectionString(password: wrong));

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => new PostgresMigrator(database).MigrateAsync(CancellationToken.None));

        Assert.Contains("refused the user name or password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task An_unreachable_server_is_one_sentence()
    {
        using var database = new PostgresDatabase($"Host=127.0.0.1;Port={UnusedPort()};Username=x;Password=y;Database=z;Timeout=3");

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => new PostgresMigrator(database).MigrateAsync(CancellationToken.None));

        Assert.Contains("could not be reached", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    private static async Task<IReadOnlyList<string>> SqliteTablesAsync()
    {
        using var sqlite = new TempDatabase();
        await new Migrator(sqlite.Database).MigrateAsync(CancellationToken.None);
        // SQLite's own tables (sqlite_sequence, kept for AUTOINCREMENT) are no part of the schema.
        return (await sqlite.Database.ReadAsync(c => c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"), CancellationToken.None)).ToList();
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
