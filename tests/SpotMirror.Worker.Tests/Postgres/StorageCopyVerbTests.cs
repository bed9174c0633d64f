using System.Text.RegularExpressions;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Postgres;

/// <summary>`storage copy --to postgres` from the command line, and the product run on what it copied.</summary>
public sealed partial class StorageCopyVerbTests : IDisposable
{
    private readonly TempDatabase _sqlite = new();
    private readonly TempPostgresDatabase _target = new();

    public void Dispose()
    {
        _sqlite.Dispose();
        _target.Dispose();
    }

    [Fact]
    public async Task A_like_made_on_sqlite_is_served_by_a_run_on_postgres_after_the_copy()
    {
        var before = await SpotMirrorCli.ChatAsync(_sqlite.Path, "/mood chill 3", ":react ❤️ 2", "/profile");
        var liked = Before(before.Lines);

        var copy = await SpotMirrorCli.RunAsync(["storage", "copy", "--to", "postgres", "--db", _sqlite.Path, "--connection", _target.ConnectionString]);
        var after = await SpotMirrorCli.RunAsync(["run"], ":as ana\n/profile\n", OnPostgres());

        Assert.Equal((0, ""), (copy.ExitCode, copy.Error));
        Assert.Contains(copy.Lines, l => l.StartsWith("Done: ", StringComparison.Ordinal));
        Assert.Equal(0, after.ExitCode);
        Assert.Contains($"Artists: {liked}", after.Lines);
    }

    [Fact]
    public async Task A_second_copy_finds_every_row_already_there()
    {
        await SpotMirrorCli.ChatAsync(_sqlite.Path, "/mood chill 3", ":react 👍 1");
        var environment = new Dictionary<string, string?> { ["Storage__Path"] = _sqlite.Path, ["Storage__ConnectionString"] = _target.ConnectionString };

        var first = await SpotMirrorCli.RunAsync(["storage", "copy", "--to", "postgres"], environment: environment);
        var second = await SpotMirrorCli.RunAsync(["storage", "copy", "--to", "postgres"], environment: environment);

        var (rows, copiedFirst) = Totals(first.Lines);
        var (rowsAgain, copiedSecond) = Totals(second.Lines);
        Assert.Equal((0, 0), (first.ExitCode, second.ExitCode));
        Assert.Equal(rows, copiedFirst);
        Assert.Equal((rows, 0), (rowsAgain, copiedSecond));
    }

    [Fact]
    public async Task A_wrong_password_is_one_line_that_does_not_hold_it()
    {
        const string wrong = "copy-verb-wrong-31";
        await SpotMirrorCli.ChatAsync(_sqlite.Path, "/help");

        var result = await SpotMirrorCli.RunAsync(["storage", "copy", "--to", "postgres", "--db", _sqlite.Path, "--connection", PostgresCluster.Shared.ConnectionString(password: wrong)]);

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("refused the user name or password", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_source_is_one_line_naming_it()
    {
        var missing = Path.Combine(Path.GetDirectoryName(_sqlite.Path)!, "absent.db");

        var result = await SpotMirrorCli.RunAsync(["storage", "copy", "--to", "postgres", "--from", missing, "--connection", _target.ConnectionString]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"There is no SQLite database at {missing}", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.False(File.Exists(missing));
    }

    private Dictionary<string, string?> OnPostgres() => new()
    {
        ["Storage__Provider"] = "postgres",
        ["Storage__ConnectionString"] = _target.ConnectionString,
        ["Storage__Path"] = Path.Combine(Path.GetDirectoryName(_sqlite.Path)!, "worker.db"),
        ["Http__Enabled"] = "false",
    };

    private static string Before(IReadOnlyList<string> lines) =>
        lines.Single(l => l.StartsWith("Artists: ", StringComparison.Ordinal))["Artists: ".Length..];

    private static (long Rows, long Copied) Totals(IReadOnlyList<string> lines)
    {
        var match = DoneLine().Match(lines.Single(l => l.StartsWith("Done: ", StringComparison.Ordinal)));
        return (long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^Done: (\d+) row\(s\) in \d+ tables, (\d+) copied now")]
    private static partial Regex DoneLine();
}
