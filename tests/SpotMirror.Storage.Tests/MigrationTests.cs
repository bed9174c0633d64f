using Dapper;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

public sealed class MigrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_fresh_database_gets_every_table_and_records_each_migration()
    {
        var applied = await new Migrator(_db.Database).MigrateAsync(CancellationToken.None);

        Assert.Equal(Migrator.Embedded().Select(m => m.Version), applied);
        var tables = await _db.Database.ReadAsync(c => c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'"), CancellationToken.None);
        foreach (var table in new[] { "schema_migrations", "tracks", "artists", "track_tags", "users", "preferences", "feedback_events", "active_reactions", "sent_messages", "sent_message_tracks", "checkpoints" })
        {
            Assert.Contains(table, tables);
        }
    }

    [Fact]
    public async Task Migrating_twice_applies_nothing_the_second_time()
    {
        var migrator = new Migrator(_db.Database);
        await migrator.MigrateAsync(CancellationToken.None);

        var second = await migrator.MigrateAsync(CancellationToken.None);

        Assert.Empty(second);
        Assert.Equal(Migrator.Embedded().Select(m => m.Version), await migrator.AppliedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Migrations_run_in_version_order_whatever_order_they_are_given_in()
    {
        var later = new Migration(2, "add_index", "CREATE INDEX ix_things_name ON things (name);");
        var first = new Migration(1, "things", "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);");

        var applied = await new Migrator(_db.Database).MigrateAsync([later, first], CancellationToken.None);

        Assert.Equal([1, 2], applied);
    }

    [Fact]
    public async Task A_failing_migration_leaves_nothing_half_applied()
    {
        var good = new Migration(1, "things", "CREATE TABLE things (id INTEGER PRIMARY KEY);");
        var bad = new Migration(2, "broken", "CREATE TABLE oops (;");

        await Assert.ThrowsAnyAsync<Exception>(() => new Migrator(_db.Database).MigrateAsync([good, bad], CancellationToken.None));

        Assert.Empty(await new Migrator(_db.Database).AppliedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused_with_a_clear_message()
    {
        var migrator = new Migrator(_db.Database);
        await migrator.MigrateAsync([new Migration(1, "a", "SELECT 1;"), new Migration(7, "b", "SELECT 1;")], CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync([new Migration(1, "a", "SELECT 1;")], CancellationToken.None));

        Assert.Contains("newer than this build", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001_initial.sql", 1, "initial")]
    [InlineData("0042_group_sessions.sql", 42, "group_sessions")]
    public void Migration_file_names_give_version_and_name(string file, int version, string name)
    {
        var migration = Migrator.Parse(file, "");
        Assert.Equal(version, migration.Version);
        Assert.Equal(name, migration.Name);
    }

    [Theory]
    [InlineData("initial.sql")]
    [InlineData("v1_initial.sql")]
    [InlineData("_initial.sql")]
    public void Badly_named_migration_files_are_refused(string file) =>
        Assert.Throws<InvalidOperationException>(() => Migrator.Parse(file, ""));

    [Fact]
    public async Task Connections_use_wal_and_enforce_foreign_keys()
    {
        await new Migrator(_db.Database).MigrateAsync(CancellationToken.None);
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteAsync(
            "INSERT INTO preferences (user_id, track_id, score, updated_at) VALUES (999, 999, 1, 0)"));
    }
}
