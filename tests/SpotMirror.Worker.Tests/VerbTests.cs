using SpotMirror.Storage.Catalog;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests;

public sealed class VerbTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Migrate_applies_the_schema_once_and_then_reports_it_up_to_date()
    {
        var first = await SpotMirrorCli.RunAsync(["migrate", "--db", _db.Path]);
        var second = await SpotMirrorCli.RunAsync(["migrate", "--db", _db.Path]);

        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Contains("applied 0001", first.Output, StringComparison.Ordinal);
        Assert.Contains("up to date at schema version 11", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_stats_counts_the_starter_catalog_on_a_new_database()
    {
        var result = await SpotMirrorCli.RunAsync(["catalog", "stats", "--db", _db.Path]);

        Assert.Equal(0, result.ExitCode);
        var tracks = result.Lines.Single(l => l.StartsWith("tracks", StringComparison.Ordinal));
        Assert.True(int.Parse(tracks.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) >= 300);
    }

    [Fact]
    public async Task Catalog_import_csv_adds_good_rows_names_bad_ones_and_a_second_run_changes_nothing()
    {
        var csv = Path.Combine(Path.GetDirectoryName(_db.Path)!, "tracks.csv");
        await File.WriteAllTextAsync(csv, "title,artist,tags,listeners,year\n\"Song, One\",Band A,rock;happy,1000,2001\nSong Two,Band B,jazz:90|calm,,\nBroken,,rock,,\n");

        var first = await SpotMirrorCli.RunAsync(["catalog", "import", "csv", csv, "--db", _db.Path]);
        var second = await SpotMirrorCli.RunAsync(["catalog", "import", "csv", csv, "--db", _db.Path]);
        var chat = await SpotMirrorCli.ChatAsync(_db.Path, "/similar Song, One - Band A 2");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("tracks.csv: 2 added, 0 updated, 0 unchanged, 1 row(s) rejected.", first.Lines);
        Assert.Contains("  line 4: title and artist must not be empty", first.Lines);
        Assert.Contains("tracks.csv: 0 added, 0 updated, 2 unchanged, 1 row(s) rejected.", second.Lines);
        Assert.Contains("Like Song, One - Band A:", chat.Lines);
    }

    [Fact]
    public async Task A_database_first_created_by_a_csv_import_also_gets_the_starter_catalogue()
    {
        var csv = Path.Combine(Path.GetDirectoryName(_db.Path)!, "one.csv");
        await File.WriteAllTextAsync(csv, "title,artist,tags\nOnly Song,Only Band,rock\n");

        var import = await SpotMirrorProcess.RunAsync(["catalog", "import", "csv", csv, "--db", _db.Path]);
        var stats = await SpotMirrorProcess.RunAsync(["catalog", "stats", "--db", _db.Path]);

        Assert.Equal(0, import.ExitCode);
        var tracks = stats.Lines.Single(l => l.StartsWith("tracks", StringComparison.Ordinal));
        Assert.Equal(StarterCatalog.Load().Count + 1, int.Parse(tracks.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Importing_a_missing_file_says_so_and_fails()
    {
        var result = await SpotMirrorCli.RunAsync(["catalog", "import", "csv", "/nonexistent/x.csv", "--db", _db.Path]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No such file", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run")]
    [InlineData("chat")]
    [InlineData("migrate")]
    [InlineData("catalog stats")]
    [InlineData("catalog import csv")]
    public async Task Every_verb_has_help(string verb)
    {
        var result = await SpotMirrorCli.RunAsync([.. verb.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        Assert.Contains("--db", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_storage_path_fails_at_start_with_a_sentence_saying_what_to_set()
    {
        var result = await SpotMirrorProcess.RunAsync(["chat"], "/help\n", new Dictionary<string, string?> { ["Storage__Path"] = " " });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Storage:Path is empty", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("migrate")]
    [InlineData("run")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_read_only_database_fails_at_start_with_one_line_saying_so(string verb)
    {
        await SpotMirrorProcess.RunAsync(["migrate", "--db", _db.Path]);
        File.SetUnixFileMode(_db.Path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await SpotMirrorProcess.RunAsync([verb, "--db", _db.Path], ":react 👍\n", launcher: SpotMirrorProcess.AsNobody);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is read-only", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Nothing you sent was lost", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_from_a_newer_build_fails_at_start_with_one_line_and_no_trace()
    {
        await SpotMirrorProcess.RunAsync(["migrate", "--db", _db.Path]);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_db.Path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)";
            await insert.ExecuteNonQueryAsync();
        }

        var result = await SpotMirrorProcess.RunAsync(["chat", "--db", _db.Path], "/help\n");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("newer than this build knows", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_another_process_keeps_locked_fails_at_start_with_one_line_saying_what_to_look_for()
    {
        await SpotMirrorProcess.RunAsync(["migrate", "--db", _db.Path]);
        await using var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_db.Path};Pooling=False");
        await holder.OpenAsync();
        await using (var hold = holder.CreateCommand())
        {
            hold.CommandText = "BEGIN EXCLUSIVE";
            await hold.ExecuteNonQueryAsync();
        }

        var result = await SpotMirrorProcess.RunAsync(["chat", "--db", _db.Path], "/help\n");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("stayed locked by another process", line, StringComparison.Ordinal);
        Assert.Contains("fuser", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_path_that_cannot_be_created_fails_with_a_clear_message()
    {
        var blocker = Path.Combine(Path.GetDirectoryName(_db.Path)!, "a-file");
        await File.WriteAllTextAsync(blocker, "not a folder");

        var result = await SpotMirrorProcess.RunAsync(["migrate", "--db", Path.Combine(blocker, "db.sqlite")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("could not be used", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }
}
