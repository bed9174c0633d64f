using System.Diagnostics;
using System.Globalization;
using SpotMirror.Testing;

namespace SpotMirror.Benchmarks;

/// <summary>`--scale-run`: <see cref="ScaleRun"/> at a size given on the command line (default 50,000 tracks, 1,000 users x 50).</summary>
public static class ProcessScaleRun
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var size = new ScaleSize(Option(args, "--tracks", 50_000), Option(args, "--users", 1_000), Option(args, "--per-user", 50));
        var calls = Option(args, "--calls", 300);
        var learnedPatience = TimeSpan.FromMinutes(Option(args, "--learned-minutes", 15));
        // --db PATH keeps the database: built there when missing, reused as it is when present (a 1 M build takes long).
        var kept = Text(args, "--db");
        var folder = Path.Combine(Path.GetTempPath(), "spotmirror-scale", Guid.NewGuid().ToString("N"));
        var database = kept ?? Path.Combine(folder, "scale.db");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(database))!);
        try
        {
            var clock = Stopwatch.StartNew();
            if (kept is null || !File.Exists(kept))
            {
                output.WriteLine($"building {database} ...");
                await ScaleRun.BuildDatabaseAsync(database, size, cancellationToken);
                output.WriteLine(FormattableString.Invariant($"built in {clock.Elapsed.TotalSeconds:F0} s"));
                if (args.Contains("--build-only", StringComparer.Ordinal)) return 0;
            }
            else
            {
                output.WriteLine($"reusing {database}");
            }
            var build = clock.Elapsed;
            var binary = Path.Combine(AppContext.BaseDirectory, "spotmirror.dll");
            var report = await ScaleRun.MeasureAsync(binary, database, size, build, calls, learnedPatience, output.WriteLine, cancellationToken);
            foreach (var line in ScaleRun.Describe(report)) output.WriteLine(line);
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static string? Text(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
