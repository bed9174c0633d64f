using System.Diagnostics;
using System.Text;

namespace SpotMirror.Worker.Tests;

/// <summary>What a finished run of the real spotmirror process printed.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error)
{
    public IReadOnlyList<string> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
}

/// <summary>Starts the built spotmirror program (the same binary `dotnet run` builds) as a child process.</summary>
public static class SpotMirrorProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static string Binary => Path.Combine(AppContext.BaseDirectory, "spotmirror.dll");

    /// <summary>Runs the process as an unprivileged user: root (as tests run in a container) ignores file permissions.</summary>
    public static readonly IReadOnlyList<string> AsNobody = Environment.IsPrivilegedProcess
        ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        : [];

    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        var info = new ProcessStartInfo(launcher is [var first, ..] ? first : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        if (launcher is [_, ..])
        {
            foreach (var part in launcher.Skip(1)) info.ArgumentList.Add(part);
            info.ArgumentList.Add("dotnet");
            info.Environment["HOME"] = Path.GetTempPath();
        }
        info.ArgumentList.Add(Binary);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) info.Environment[key] = value;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start spotmirror");
    }

    /// <summary>Runs to the end with the script as standard input (closed after it).</summary>
    public static async Task<ProcessResult> RunAsync(
        IEnumerable<string> args, string script = "", IReadOnlyDictionary<string, string?>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        using var process = Start(args, environment, launcher);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"spotmirror {string.Join(' ', args)} did not finish; output so far: {await output}");
        }
        return new ProcessResult(process.ExitCode, await output, await error);
    }

    /// <summary>Chat with a script, one command per line.</summary>
    public static Task<ProcessResult> ChatAsync(string database, params string[] lines) =>
        RunAsync(["chat", "--db", database, "--user", "ana"], string.Join('\n', lines) + "\n");
}
