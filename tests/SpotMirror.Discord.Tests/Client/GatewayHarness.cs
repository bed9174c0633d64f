using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.Client;

/// <summary>Our gateway client running against the fake, with every dispatch it delivers collected in order.</summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<GatewayDispatch> _seen = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private Task _run = Task.CompletedTask;
    private Task _read = Task.CompletedTask;

    private GatewayHarness(FakeDiscordServer fake)
    {
        Fake = fake;
        var options = new DiscordOptions { Token = fake.Token, ApiBaseUrl = fake.ApiBaseUrl };
        Rest = new DiscordRest(options, TimeProvider.System, NullLogger<DiscordRest>.Instance);
        Gateway = new DiscordGateway(new DiscordApi(Rest), options, TimeProvider.System, NullLogger<DiscordGateway>.Instance);
    }

    public FakeDiscordServer Fake { get; }
    public DiscordRest Rest { get; }
    public DiscordGateway Gateway { get; }

    /// <summary>The run's end: a fatal close surfaces here.</summary>
    public Task Run => _run;

    public static async Task<GatewayHarness> StartAsync(FakeDiscordOptions? options = null, GatewaySession? resumeFrom = null)
    {
        var fake = await FakeDiscordServer.StartAsync(options ?? new FakeDiscordOptions());
        var harness = new GatewayHarness(fake);
        harness._run = harness.Gateway.RunAsync(resumeFrom, harness._stop.Token);
        harness._read = harness.ReadAsync();
        return harness;
    }

    public IReadOnlyList<GatewayDispatch> Seen
    {
        get
        {
            lock (_seen) return _seen.ToList();
        }
    }

    /// <summary>Waits until a dispatch matching the predicate has come through.</summary>
    public async Task<GatewayDispatch> WaitForAsync(Func<GatewayDispatch, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var found = Seen.FirstOrDefault(predicate);
            if (found is not null) return found;
            try
            {
                await _arrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No matching dispatch; seen: {string.Join(", ", Seen.Select(d => $"{d.Type}#{d.Sequence}"))}");
            }
        }
    }

    public Task<GatewayDispatch> WaitForReadyAsync() => WaitForAsync(d => d.Type == "READY");

    /// <summary>Scripts a dispatch of our own kind ("TEST_EVENT" with a number), as a stand-in for real events.</summary>
    public long Send(int n) => Fake.Dispatch("MESSAGE_REACTION_ADD", new JsonObject
    {
        ["user_id"] = "1300000000000000042", ["channel_id"] = "1300000000000000200", ["message_id"] = n.ToString(),
        ["emoji"] = new JsonObject { ["id"] = null, ["name"] = "👍" },
    });

    private async Task ReadAsync()
    {
        await foreach (var dispatch in Gateway.Dispatches.ReadAllAsync())
        {
            lock (_seen) _seen.Add(dispatch);
            _arrived.Release();
        }
    }

    /// <summary>Stops our client (as a process stopping does) and leaves the fake running.</summary>
    public async Task StopClientAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        await _read;
    }

    /// <summary>A second client on the same fake, as the next process would start, resuming the given session.</summary>
    public NextClient NextProcess(GatewaySession session)
    {
        var options = new DiscordOptions { Token = Fake.Token, ApiBaseUrl = Fake.ApiBaseUrl };
        var rest = new DiscordRest(options, TimeProvider.System, NullLogger<DiscordRest>.Instance);
        var gateway = new DiscordGateway(new DiscordApi(rest), options, TimeProvider.System, NullLogger<DiscordGateway>.Instance);
        var stop = new CancellationTokenSource();
        return new NextClient(gateway, rest, stop, gateway.RunAsync(session, stop.Token));
    }

    /// <summary>A client started by NextProcess; disposing it stops it.</summary>
    public sealed class NextClient(DiscordGateway gateway, DiscordRest rest, CancellationTokenSource stop, Task run) : IAsyncDisposable
    {
        private readonly DiscordRest _rest = rest;
        private readonly CancellationTokenSource _stop = stop;
        private readonly Task _run = run;

        public DiscordGateway Gateway { get; } = gateway;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
            Gateway.Dispose();
            _rest.Dispose();
            _stop.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _run;
        }
        catch (Exception exception) when (exception is OperationCanceledException or DiscordFatalException)
        {
            // Stopped, or stopped itself.
        }
        await _read;
        Gateway.Dispose();
        Rest.Dispose();
        await Fake.DisposeAsync();
        _stop.Dispose();
        _arrived.Dispose();
    }
}
