using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>
/// The WAL of a SQLite file is copied into the file beside the writer, not in its commits (WalCheckpointer), and it
/// still stays bounded under a writer that never pauses. Seen from outside: a copy of the database file alone (no WAL)
/// holds the committed rows once a checkpoint copied them.
/// </summary>
public sealed class WalCheckpointTests
{
    [Fact]
    public async Task Committed_pages_reach_the_file_through_the_background_checkpoint_not_the_commits()
    {
        // The writer itself would only copy past a million pages: whatever reaches the file, the background thread copied.
        using var temp = new TempDatabase(wal: new WalLimits(Threshold: 8, Limit: 1_000_000, Quiet: TimeSpan.FromMilliseconds(200)));
        var database = temp.Database;
        await database.MigrateAsync(CancellationToken.None);

        for (var i = 0; i < 40; i++) await InsertAsync(database, i);

        var rows = await WaitForRowsInFileAsync(temp.Path, 40);
        Assert.Equal(40, rows);
        Assert.True(database.BackgroundCheckpoints > 0);
    }

    [Fact]
    public async Task A_writer_that_never_pauses_keeps_the_WAL_bounded()
    {
        // No background copy at all: the bound is the writer's own checkpoint once the WAL holds 64 pages.
        using var temp = new TempDatabase(wal: new WalLimits(Threshold: int.MaxValue, Limit: 64, Quiet: Timeout.InfiniteTimeSpan));
        var database = temp.Database;
        await database.MigrateAsync(CancellationToken.None);

        var largest = 0L;
        for (var i = 0; i < 300; i++)
        {
            await InsertAsync(database, i);
            largest = Math.Max(largest, new FileInfo(temp.Path + "-wal").Length);
        }

        // A WAL frame is a page and a 24-byte header; one insert here appends a few pages. Without the bound it would
        // have grown past 300 pages.
        const long frame = 4096 + 24;
        Assert.InRange(largest, 1, 32 + (64 + 16) * frame);
        Assert.Equal(0, database.BackgroundCheckpoints);
        Assert.Equal(300, await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM changes WHERE origin = 'wal-test'"), CancellationToken.None));
    }

    /// <summary>One write transaction with a row of about 3 KB, so each dirties a page or more.</summary>
    private static Task<int> InsertAsync(SqliteDatabase database, int i) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "INSERT INTO changes (kind, entries, origin, created_at) VALUES ('preferences', @entries, 'wal-test', @i)",
            new { entries = new string('x', 3000), i }, transaction), CancellationToken.None);

    /// <summary>
    /// Rows in a copy of the database file alone (beside it, so the temporary folder takes it away), copied again until it
    /// holds expected rows or about 10 s pass.
    /// </summary>
    private static async Task<long> WaitForRowsInFileAsync(string path, long expected)
    {
        var rows = 0L;
        for (var attempt = 0; attempt < 100 && rows < expected; attempt++)
        {
            var copy = $"{path}.copy-{attempt}";
            File.Copy(path, copy);
            using (var alone = new SqliteDatabase(copy))
            {
                try
                {
                    rows = await alone.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM changes WHERE origin = 'wal-test'"), CancellationToken.None);
                }
                catch (Microsoft.Data.Sqlite.SqliteException)
                {
                    // Not even the schema has reached the file yet.
                    rows = 0;
                }
            }
            if (rows < expected) await Task.Delay(100);
        }
        return rows;
    }
}
