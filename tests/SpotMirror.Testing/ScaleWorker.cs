using System.Diagnostics;

namespace SpotMirror.Testing;

/// <summary>
/// One real `spotmirror run` process for a benchmark, with the HTTP API on a free loopback port and the given
/// environment (a provider, a connection string, Storage:GroupCommit...). Ready once /health says so; killed on dispose.
/// </summary>
public sealed class ScaleWorker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _drainOut;
    private readonly Task<string> _drainErr;

    private ScaleWorker(Process process, HttpClient client, Task<string> drainOut, Task<string> drainErr)
    {
        _process = process;
        Client = client;
        _drainOut = drainOut;
        _drainErr = drainErr;
    }

    public HttpClient Client { get; }
    public TimeSpan Ready { get; private set; }

    /// <summary>Processor time the worker has used so far: in user mode, and in the kernel (system calls: reads of the file, sockets).</summary>
    public (TimeSpan User, TimeSpan System) Cpu
    {
        get
        {
            _process.Refresh();
            return (_process.UserProcessorTime, _process.PrivilegedProcessorTime);
        }
    }

    /// <summary>Resident memory now, in bytes.</summary>
    public long Rss => ScaleRun.Rss(_process);

    /// <summary>Starts binary (the spotmirror.dll) with `run` and the extra arguments, and waits until it reports ready.</summary>
    public static async Task<ScaleWorker> StartAsync(
        string binary, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan patience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var port = ScaleRun.FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(binary);
        info.ArgumentList.Add("run");
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["Http__Urls"] = $"http://127.0.0.1:{port}";
        info.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start spotmirror");
        var worker = new ScaleWorker(process, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) },
            process.StandardOutput.ReadToEndAsync(CancellationToken.None), process.StandardError.ReadToEndAsync(CancellationToken.None));
        try
        {
            var health = await ScaleRun.WaitForHealthAsync(worker.Client, process, h => h.Status == "ready", patience, cancellationToken).ConfigureAwait(false);
            if (health?.Status != "ready") throw new InvalidOperationException($"spotmirror was not ready within {patience.TotalSeconds:F0} s");
            worker.Ready = clock.Elapsed;
            return worker;
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until /health no longer says the learned model is pending (arrived, or off).</summary>
    public Task WaitForLearnedModelAsync(TimeSpan patience, CancellationToken cancellationToken) =>
        ScaleRun.WaitForHealthAsync(Client, _process, h => h.LearnedModel != "pending", patience, cancellationToken);

    /// <summary>What the process wrote to standard error, once it has stopped (for a failed run's message).</summary>
    public Task<string> ErrorsAsync() => _drainErr;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await Task.WhenAll(_drainOut, _drainErr).ConfigureAwait(false);
        Client.Dispose();
        _process.Dispose();
    }
}
