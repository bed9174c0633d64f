using System.Diagnostics;
using System.Net.Http.Json;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Postgres;

/// <summary>
/// One real `spotmirror run` process serving the HTTP API on a free loopback port. Its standard input is kept
/// open (the console chat reads it), so it serves until disposed; disposing closes the input, which ends it.
/// </summary>
public sealed class RunningWorker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _error;
    private readonly Task<string> _output;

    private RunningWorker(Process process, HttpClient client)
    {
        _process = process;
        Client = client;
        _output = process.StandardOutput.ReadToEndAsync();
        _error = process.StandardError.ReadToEndAsync();
    }

    public HttpClient Client { get; }

    /// <summary>The process id (a lease holder names its process).</summary>
    public int Id => _process.Id;

    /// <summary>Starts a worker on the PostgreSQL database and waits (bounded) until /health says ready.</summary>
    public static async Task<RunningWorker> StartOnPostgresAsync(string connectionString, string localFolder, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var port = FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = connectionString,
            // Only this worker's own files (the learned model's factors) go here on PostgreSQL.
            ["Storage__Path"] = Path.Combine(localFolder, $"worker-{port}.db"),
            ["Http__Urls"] = $"http://127.0.0.1:{port}",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        var process = SpotMirrorProcess.Start(["run"], environment);
        var worker = new RunningWorker(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) });
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"spotmirror exited ({process.ExitCode}): {await worker._error}");
                try
                {
                    var health = await worker.Client.GetFromJsonAsync<Health>(new Uri("/health", UriKind.Relative));
                    return health?.Status;
                }
                catch (HttpRequestException)
                {
                    return null;
                }
            }, status => status == "ready", TimeSpan.FromSeconds(90), status => $"spotmirror on PostgreSQL was not ready within 90 s (last status: {status ?? "no answer"})");
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
        return worker;
    }

    /// <summary>Kills the process outright (no shutdown, no release of anything it holds): a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>The body of /health/ready, whatever its status (each check's name and answer).</summary>
    public async Task<string> ReadinessAsync()
    {
        using var response = await Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Closes the input (the chat's end, so the process stops cleanly) and returns what it wrote to standard error.</summary>
    public async Task<(int ExitCode, string Error)> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        await _output;
        return (_process.ExitCode, await _error);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client.Dispose();
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Health(string Status, int Users);
}
