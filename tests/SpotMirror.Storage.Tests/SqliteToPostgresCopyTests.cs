using Dapper;
using Npgsql;
using SpotMirror.Storage.Copy;
using SpotMirror.Storage.Postgres;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>`storage copy --to postgres` on a real SQLite file and the throwaway PostgreSQL cluster.</summary>
public sealed class SqliteToPostgresCopyTests : IDisposable
{
    private const int People = 240;
    private const int SmallBatch = 50;
    private readonly StoreFixture _source = new(StoreProvider.Sqlite);
    private readonly TempPostgresDatabase _target = new();

    public SqliteToPostgresCopyTests() => FillSourceAsync().GetAwaiter().GetResult();

    public void Dispose()
    {
        _source.Dispose();
        _target.Dispose();
    }

    private string SourcePath => ((TempDatabase)_source.Db).Path;

    [Fact]
    public async Task Every_table_of_the_schema_is_either_copied_or_left_behind_with_a_reason()
    {
        var tables = await SqliteTablesAsync();

        Assert.Equal(tables.Order(StringComparer.Ordinal), CopyPlan.Copied.Concat(CopyPlan.Skipped.Keys).Order(StringComparer.Ordinal));
        Assert.All(CopyPlan.Skipped.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
    }

    [Fact]
    public async Task A_copy_holds_every_row_of_every_copied_table_and_a_second_copy_changes_nothing()
    {
        var first = await CopyAsync(_target.ConnectionString);
        var afterFirst = await FingerprintAsync(_target.ConnectionString);
        var second = await CopyAsync(_target.ConnectionString);

        foreach (var table in CopyPlan.Copied)
        {
            Assert.Equal((table, await SourceCountAsync(table)), (table, await TargetCountAsync(_target.ConnectionString, table)));
        }
        Assert.Equal(first.Tables.Sum(t => t.Rows), first.Tables.Sum(t => t.Inserted));
        Assert.Equal(0, second.Tables.Sum(t => t.Inserted));
        Assert.Equal(afterFirst, await FingerprintAsync(_target.ConnectionString));
    }

    [Fact]
    public async Task A_copy_cancelled_after_a_few_batches_and_run_again_ends_exactly_like_one_clean_copy()
    {
        using var clean = new TempPostgresDatabase();
        await CopyAsync(clean.ConnectionString);

        using var stop = new CancellationTokenSource();
        var batches = 0;
        var progress = new Inline(p =>
        {
            if (p.Done > 0 && ++batches == 3) stop.Cancel();
        });
        using (var interrupted = new SqliteToPostgresCopy(SourcePath, _target.ConnectionString, SmallBatch))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => interrupted.RunAsync(progress, stop.Token));
        }
        var partial = await TargetCountAsync(_target.ConnectionString, "users");
        await CopyAsync(_target.ConnectionString);

        Assert.InRange(partial, 0, People - 1);
        Assert.Equal(await FingerprintAsync(clean.ConnectionString), await FingerprintAsync(_target.ConnectionString));
    }

    [Fact]
    public async Task Rows_made_on_the_copy_get_ids_past_the_copied_ones()
    {
        await CopyAsync(_target.ConnectionString);
        var highest = await SourceScalarAsync("SELECT MAX(id) FROM users");

        var fresh = await new SqlUserDirectory(_target.Database).ResolveAsync(new Core.Ports.ChatUser("test", "newcomer", "Newcomer"), CancellationToken.None);
        var model = await _target.Database.WriteAsync((c, t) => c.ExecuteScalarAsync<long>(
            "INSERT INTO learned_models (published_by, published_at, body) VALUES ('w', 1, '\\x00') RETURNING id", transaction: t), CancellationToken.None);

        Assert.True(fresh > highest, $"new user id {fresh} is not past the copied {highest}");
        Assert.True(model > await SourceScalarAsync("SELECT MAX(id) FROM learned_models"));
    }

    [Fact]
    public async Task The_change_feed_and_the_leases_stay_behind()
    {
        await CopyAsync(_target.ConnectionString);

        Assert.Equal(0, await TargetCountAsync(_target.ConnectionString, "changes"));
        Assert.Equal(0, await TargetCountAsync(_target.ConnectionString, "leases"));
    }

    [Fact]
    public async Task A_key_the_target_holds_with_other_values_stops_the_copy_and_is_not_overwritten()
    {
        await CopyAsync(_target.ConnectionString);
        await _target.Database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE users SET display_name = 'Changed' WHERE platform_user_id = 'p7'", transaction: t), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => CopyAsync(_target.ConnectionString));

        Assert.Contains("1 row(s) of users have the same key as in the source but other values", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal("Changed", await _target.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT display_name FROM users WHERE platform_user_id = 'p7'"), CancellationToken.None));
    }

    [Fact]
    public async Task A_wrong_password_is_one_line_that_does_not_hold_it()
    {
        const string wrong = "copy-wrong-password-5";
        var connection = new NpgsqlConnectionStringBuilder(_target.ConnectionString) { Password = wrong }.ToString();

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => CopyAsync(connection));

        Assert.Contains("refused the user name or password", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_missing_source_is_refused_and_not_created()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"nothing-{Guid.NewGuid():N}.db");

        var error = Assert.Throws<StorageUnavailableException>(() => new SqliteToPostgresCopy(missing, _target.ConnectionString));

        Assert.Contains("There is no SQLite database at", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task A_target_at_a_newer_schema_is_refused_before_anything_is_copied()
    {
        await _target.Database.MigrateAsync(CancellationToken.None);
        await _target.Database.WriteAsync((c, t) => c.ExecuteAsync("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)", transaction: t), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => CopyAsync(_target.ConnectionString));

        Assert.Contains("schema version 9999, newer than this build knows", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await TargetCountAsync(_target.ConnectionString, "tracks"));
    }

    [Fact]
    public async Task A_target_with_workers_running_on_it_is_refused()
    {
        await _target.Database.MigrateAsync(CancellationToken.None);
        await new SqlLeases(_target.Database).TryAcquireAsync("learned-model", "worker-1", TimeSpan.FromMinutes(1), CancellationToken.None);

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => CopyAsync(_target.ConnectionString));

        Assert.Contains("workers are running on the target", error.Message, StringComparison.Ordinal);
    }

    private async Task<CopyReport> CopyAsync(string connectionString)
    {
        using var copy = new SqliteToPostgresCopy(SourcePath, connectionString, SmallBatch);
        return await copy.RunAsync(null, CancellationToken.None);
    }

    /// <summary>A few hundred people with feedback (several batches at 50 rows), and a row in most other tables.</summary>
    private async Task FillSourceAsync()
    {
        var tracks = _source.TrackIds;
        await _source.Db.Database.WriteAsync(async (c, t) =>
        {
            for (var i = 0; i < People; i++)
            {
                var user = await c.ExecuteScalarAsync<long>(
                    "INSERT INTO users (platform, platform_user_id, display_name, created_at, seen_at) VALUES ('test', @p, @n, 1, 2) RETURNING id",
                    new { p = $"p{i}", n = $"Person {i}" }, t);
                var track = tracks[i % tracks.Count];
                await c.ExecuteAsync("INSERT INTO preferences (user_id, track_id, score, hard_dislikes, updated_at) VALUES (@user, @track, @score, 0, 3)",
                    new { user, track, score = 0.1 * (i + 1) / 3 }, t);
                await c.ExecuteAsync(
                    "INSERT INTO feedback_events (event_id, user_id, platform, chat_id, message_id, emoji, item_index, action, signal, outcome, created_at) VALUES (@e, @user, 'test', 'c', 'm', '👍', NULL, 'add', 'like', 'applied', 4)",
                    new { e = $"test:{i}", user }, t);
            }
            await c.ExecuteAsync("INSERT INTO checkpoints (connection, position, updated_at) VALUES ('telegram', '{\"offset\":42}', 5)", transaction: t);
            await c.ExecuteAsync("INSERT INTO outbox (platform, chat_id, event_id, payload, created_at) VALUES ('telegram', 'c', 'e1', '{}', 6)", transaction: t);
            await c.ExecuteAsync("INSERT INTO learned_models (published_by, published_at, body) VALUES ('w', 7, @body)", new { body = new byte[] { 1, 2, 3, 0, 255 } }, t);
            await c.ExecuteAsync("INSERT INTO provider_cache (key, body, fetched_at, expires_at) VALUES ('k', 'v', 8, 9)", transaction: t);
            await c.ExecuteAsync("INSERT INTO changes (kind, user_id, entries, origin, created_at) VALUES ('preferences', 1, '[]', 'o', 10)", transaction: t);
            await c.ExecuteAsync("INSERT INTO leases (name, holder, expires_at) VALUES ('learned-model', 'w', 99999999999999)", transaction: t);
            return 0;
        }, CancellationToken.None);
    }

    private Task<long> SourceScalarAsync(string sql) => _source.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), CancellationToken.None);

    // Test-only SQL: the table names come from CopyPlan (identifiers cannot be parameters).
    private Task<long> SourceCountAsync(string table) => SourceScalarAsync("SELECT COUNT(*) FROM " + table);

    private static async Task<long> TargetCountAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM " + table);
    }

    /// <summary>Every copied table's rows, in order, as one digest per table.</summary>
    private static async Task<IReadOnlyList<string>> FingerprintAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        var prints = new List<string>();
        foreach (var table in CopyPlan.Copied)
        {
            prints.Add(table + " " + await connection.ExecuteScalarAsync<string>(
                "SELECT COUNT(*) || ':' || COALESCE(md5(string_agg(CAST(t AS TEXT), '|' ORDER BY CAST(t AS TEXT))), '') FROM " + table + " AS t"));
        }
        return prints;
    }

    private async Task<IReadOnlyList<string>> SqliteTablesAsync() =>
        (await _source.Db.Database.ReadAsync(c => c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"), CancellationToken.None)).ToList();

    /// <summary>Reports at once, on the copy's own flow (Progress&lt;T&gt; would post them later).</summary>
    private sealed class Inline(Action<CopyProgress> report) : IProgress<CopyProgress>
    {
        public void Report(CopyProgress value) => report(value);
    }
}
