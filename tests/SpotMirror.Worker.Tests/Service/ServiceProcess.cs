using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Service;

/// <summary>
/// `spotmirror run` as a supervisor starts it (systemd, a container): the real process on a free loopback
/// port, its standard error collected, stopped with SIGTERM as `systemctl stop` and `docker stop` do.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    public static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);

    /// <summary>What systemd's and Docker's default stop timeouts allow before SIGKILL.</summary>
    public static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(10);

    private readonly StringBuilder _log = new();
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int port)
    {
        Process = process;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_log) _log.AppendLine(e.Data);
        };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (_output) _output.AppendLine(e.Data);
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
    }

    public Process Process { get; }

    public HttpClient Client { get; }

    public StreamWriter Input => Process.StandardInput;

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts `run` with the HTTP API on a free port; settings are environment variables ("Storage__Path").</summary>
    public static ServiceProcess Start(IReadOnlyDictionary<string, string?> settings, params string[] args)
    {
        var port = FreePort();
        var environment = new Dictionary<string, string?>(settings) { ["Http__Urls"] = $"http://127.0.0.1:{port}" };
        return new ServiceProcess(SpotMirrorProcess.Start(args.Length == 0 ? ["run"] : args, environment), port);
    }

    /// <summary>Waits until path answers 200; fails at once when the process has ended instead.</summary>
    public async Task WaitForOkAsync(string path)
    {
        await Eventually.WaitAsync(async () =>
        {
            if (Process.HasExited) throw new InvalidOperationException($"spotmirror exited ({Process.ExitCode}) before {path} answered 200:\n{Log}");
            try
            {
                using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                return (HttpStatusCode)0; // not listening yet
            }
        }, status => status == HttpStatusCode.OK, StartPatience, status => $"{path} answered {(int)status}, not 200, within {StartPatience.TotalSeconds} s:\n{Log}");
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits (bounded) until the log has a line with text; fails when the process ends first.</summary>
    public async Task WaitForLogAsync(string text)
    {
        var log = await Eventually.WaitAsync(() => Task.FromResult(Log), log => log.Contains(text, StringComparison.Ordinal) || Process.HasExited, StartPatience,
            log => $"no log line with \"{text}\" within {StartPatience.TotalSeconds} s:\n{log}");
        if (!log.Contains(text, StringComparison.Ordinal)) throw new InvalidOperationException($"spotmirror exited before logging \"{text}\":\n{log}");
    }

    /// <summary>SIGTERM, then the exit code if the process ended within the stop limit; null (and a kill) if it did not.</summary>
    public async Task<int?> TerminateAsync()
    {
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", Process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var limit = new CancellationTokenSource(StopLimit);
        try
        {
            await Process.WaitForExitAsync(limit.Token);
            return Process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            return null;
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
        Client.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
