using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// Discord's gateway (WebSocket, JSON, v10) and REST API (/api/v10) on loopback, speaking the wire
/// protocol a bot client uses: script dispatches and faults, then assert on what the bot sent.
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly FakeDiscordOptions _options;
    private readonly DiscordRecorder _recorder = new();
    private readonly RestFaultPlan _restFaults = new();
    private readonly GatewayHub _hub;
    private readonly GatewayEndpoint _gateway;
    private readonly RestEndpoint _rest;
    private readonly DispatchScripts _scripts;
    private int _disposed;

    private FakeDiscordServer(WebApplication app, FakeDiscordOptions options)
    {
        _app = app;
        _options = options;
        var ids = new Snowflakes(options.Clock);
        var messages = new MessageBook(options, ids, _recorder.Messages);
        var commands = new CommandRegistry(options, ids, _recorder.Commands);
        var interactions = new InteractionBook(options, messages, _recorder.Callbacks);
        _hub = new GatewayHub(_recorder, options.Clock, options.SessionStartsRemaining);
        _gateway = new GatewayEndpoint(options, _hub, _recorder, new GatewayPayloads(options, messages));
        var reactions = new OwnReactions(options, messages, _recorder.Reactions, _hub.TryDispatch);
        var routes = new RestRoutes(GatewayBot, commands, interactions, messages, reactions);
        _rest = new RestEndpoint(options, routes, _restFaults, new RateLimits(options.Clock, options.RateLimitPerBucket, options.RateLimitWindow), _recorder.Requests, _recorder.Uploads);
        _scripts = new DispatchScripts(options, _hub, interactions, messages, commands, ids);
    }

    /// <summary>"http://127.0.0.1:PORT".</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>"http://127.0.0.1:PORT/api/v10", the REST base URL to configure.</summary>
    public string ApiBaseUrl => BaseUrl + "/api/v10";

    /// <summary>"ws://127.0.0.1:PORT/gw", what GET /gateway/bot returns (without a query string).</summary>
    public string GatewayUrl { get; private set; } = string.Empty;

    /// <summary>"ws://127.0.0.1:PORT/gw-resume", READY's resume_gateway_url.</summary>
    public string ResumeGatewayUrl { get; private set; } = string.Empty;

    public string Token => _options.Token;

    public string BotUserId => _options.BotUserId;

    public string ApplicationId => _options.ApplicationId;

    public string GuildId => _options.GuildId;

    /// <summary>The default guild channel, with the default user acting.</summary>
    public DiscordPlace InGuild => _scripts.InGuild;

    /// <summary>The default user's DM channel with the bot.</summary>
    public DiscordPlace InDm => _scripts.InDm;

    public FakeDiscordOptions Options => _options;

    public static Task<FakeDiscordServer> StartAsync(CancellationToken ct = default) => StartAsync(new FakeDiscordOptions(), ct);

    public static async Task<FakeDiscordServer> StartAsync(FakeDiscordOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        try
        {
            var server = new FakeDiscordServer(app, options);
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            app.Run(server.RouteAsync);
            await app.StartAsync(ct).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            server.BaseUrl = addresses.Addresses.Single().TrimEnd('/');
            var host = server.BaseUrl["http://".Length..];
            server.GatewayUrl = $"ws://{host}/gw";
            server.ResumeGatewayUrl = $"ws://{host}/gw-resume";
            server._gateway.ResumeUrl = server.ResumeGatewayUrl;
            return server;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Open sockets and pending reads end first, so stopping Kestrel does not wait for them.
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private Task RouteAsync(HttpContext context) => context.Request.Path.Value switch
    {
        "/gw" => _gateway.HandleAsync(context, onResumeUrl: false, _stopping.Token),
        "/gw-resume" => _gateway.HandleAsync(context, onResumeUrl: true, _stopping.Token),
        _ => _rest.HandleAsync(context, _stopping.Token),
    };

    private JsonObject GatewayBot() => new()
    {
        ["url"] = GatewayUrl,
        ["shards"] = _options.RequiredShards,
        ["session_start_limit"] = new JsonObject
        {
            ["total"] = 1000,
            ["remaining"] = _hub.SessionStartsRemaining,
            ["reset_after"] = 86_400_000,
            ["max_concurrency"] = _options.MaxConcurrency,
        },
    };

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
