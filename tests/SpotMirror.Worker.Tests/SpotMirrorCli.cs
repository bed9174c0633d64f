using SpotMirror.Worker.Cli;

namespace SpotMirror.Worker.Tests;

/// <summary>
/// Runs a verb inside the test's process: the same command line, parsed and run by the same code as the
/// binary's, with standard input, output and error as strings. Environment variables become configuration
/// of this run alone ("Storage__Path" is "Storage:Path"), so parallel tests do not share them.
/// </summary>
public static class SpotMirrorCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static async Task<ProcessResult> RunAsync(IEnumerable<string> args, string script = "", IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var input = new StringReader(script);
        await using var output = new StringWriter();
        await using var error = new StringWriter();
        var settings = environment?.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value);
        var console = CliConsole.Redirected(input, TextWriter.Synchronized(output), TextWriter.Synchronized(error), settings);
        using var timeout = new CancellationTokenSource(Limit);
        var code = await Verbs.InvokeAsync([.. args], console, timeout.Token);
        if (timeout.IsCancellationRequested) throw new TimeoutException($"spotmirror {string.Join(' ', args)} did not finish; output so far: {output}");
        return new ProcessResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Chat with a script, one command per line.</summary>
    public static Task<ProcessResult> ChatAsync(string database, params string[] lines) =>
        RunAsync(["chat", "--db", database, "--user", "ana"], string.Join('\n', lines) + "\n");
}
