using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using SpotMirror.Storage.Copy;
using SpotMirror.Runtime;
using SpotMirror.Worker.Hosting;

namespace SpotMirror.Worker.Cli;

/// <summary>`storage copy --to postgres`: the SQLite database moved to a PostgreSQL server (the work is Storage's <see cref="SqliteToPostgresCopy"/>).</summary>
public static class StorageVerb
{
    public static Command Build(CliConsole console, Option<string?> db)
    {
        var to = new Option<string>("--to") { Description = "Where to copy: postgres.", Required = true };
        to.AcceptOnlyFromAmong("postgres");
        var from = new Option<string?>("--from") { Description = "The SQLite file to copy (default: --db, else Storage:Path)." };
        var connection = new Option<string?>("--connection") { Description = "The PostgreSQL connection string (default: Storage:ConnectionString, Storage__ConnectionString in the environment)." };
        var batch = new Option<int>("--batch") { Description = "Rows per transaction.", DefaultValueFactory = _ => SqliteToPostgresCopy.DefaultBatchSize };
        var copy = new Command("copy", "Copy the SQLite database into PostgreSQL: migrates the target, then copies every table in batches; run it again to finish an interrupted copy.") { to, from, connection, batch };
        copy.SetAction((result, ct) => CopyAsync(console, result.GetValue(from) ?? result.GetValue(db), result.GetValue(connection), result.GetValue(batch), ct));
        return new Command("storage", "Move the database between providers.") { copy };
    }

    private static Task<int> CopyAsync(CliConsole console, string? from, string? connection, int batch, CancellationToken cancellationToken) =>
        Verbs.GuardAsync(console, async () =>
        {
            var configuration = ServiceRegistration.CreateBuilder(from, console.Settings).Configuration;
            var target = string.IsNullOrWhiteSpace(connection) ? configuration["Storage:ConnectionString"] : connection;
            if (string.IsNullOrWhiteSpace(target))
            {
                await console.Error.WriteLineAsync("No target: pass --connection \"Host=...;Database=...;Username=...;Password=...\" or set Storage:ConnectionString (Storage__ConnectionString).").ConfigureAwait(false);
                return 2;
            }
            if (batch < 1)
            {
                await console.Error.WriteLineAsync("--batch must be at least 1.").ConfigureAwait(false);
                return 2;
            }
            using var copy = new SqliteToPostgresCopy(StorageOptions.Resolve(configuration["Storage:Path"] ?? StorageOptions.DefaultPath), target, batch);
            console.Out.WriteLine($"Copying {copy.Source} to {copy.Target}");
            var progress = new Lines(console);
            try
            {
                var report = await copy.RunAsync(progress, cancellationToken).ConfigureAwait(false);
                if (report.TargetMigrations.Count > 0) console.Out.WriteLine($"Target migrated to schema version {report.TargetMigrations[^1]:0000}.");
                foreach (var (table, reason) in CopyPlan.Skipped) console.Out.WriteLine($"  {table,-24} not copied: {reason}");
                var rows = report.Tables.Sum(t => t.Rows);
                var added = report.Tables.Sum(t => t.Inserted);
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done: {rows} row(s) in {report.Tables.Count} tables, {added} copied now, {rows - added} already there; identity sequences set past the copied ids."));
                return 0;
            }
            catch (OperationCanceledException)
            {
                await console.Error.WriteLineAsync($"Stopped during {progress.Table ?? "start-up"}; what was copied stays. Run the same command again to finish.").ConfigureAwait(false);
                return 1;
            }
        });

    /// <summary>A line per finished table; on a terminal, the batch count as it goes.</summary>
    private sealed class Lines(CliConsole console) : IProgress<CopyProgress>
    {
        public string? Table { get; private set; }

        public void Report(CopyProgress value)
        {
            Table = value.Table;
            ProgressBar.Status(console, string.Create(CultureInfo.InvariantCulture, $"{value.Table}: {value.Done}/{value.Total}"));
            if (value.Done == value.Total) console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value.Table,-24} {value.Total} row(s)"));
        }
    }
}
