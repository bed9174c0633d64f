using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Http.Web;

namespace SpotMirror.Http;

/// <summary>
/// Runs the HTTP API for as long as the host runs. Registered after the core loader, so it starts
/// listening once the catalogue is indexed. An address it cannot listen on is one error line, not a
/// dead host: the chat keeps running without the API.
/// </summary>
public sealed partial class HttpApiService(HttpOptions options, ApiHandlers handlers, ILoggerFactory loggerFactory, WebHandlers? web = null, Readiness? readiness = null, IReadOnlyList<PostHook>? hooks = null)
    : IHostedService, IDisposable, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<HttpApiService>();
    private WebApplication? _app;

    /// <summary>The addresses actually bound (port 0 resolved); empty when off or not listening.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            LogDisabled(_logger);
            return;
        }
        var app = HttpApiApp.Build(options, handlers, loggerFactory, web, readiness ?? handlers.Readiness([]), hooks);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            if (exception.InnerException is AddressInUseException || exception is AddressInUseException) LogAddressInUse(_logger, options.Urls);
            else LogCannotListen(_logger, options.Urls, exception.Message);
            await app.DisposeAsync().ConfigureAwait(false);
            return;
        }
        _app = app;
        Addresses = [.. app.Urls];
        if (HttpApiKeyRule.Decide(options.ListenUrls(), options.ApiKey) == WriteAccess.Refused) LogWritesRefused(_logger, options.Urls);
        LogListening(_logger, string.Join(", ", Addresses), HttpApiApp.DocsPath);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app) await app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        (_app as IDisposable)?.Dispose();
        _app = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app) await app.DisposeAsync().ConfigureAwait(false);
        _app = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Http: off (Http:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Http: listening on {Addresses}; documentation at {DocsPath}")]
    private static partial void LogListening(ILogger logger, string addresses, string docsPath);

    [LoggerMessage(Level = LogLevel.Error, Message = "Http: could not listen on {Urls}: address in use; set Http:Urls to a free port or Http:Enabled=false")]
    private static partial void LogAddressInUse(ILogger logger, string urls);

    [LoggerMessage(Level = LogLevel.Error, Message = "Http: could not listen on {Urls}: {Reason}; set Http:Urls to an address this machine can listen on, or Http:Enabled=false")]
    private static partial void LogCannotListen(ILogger logger, string urls, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Http: {Urls} is reachable beyond loopback and no Http:ApiKey is set: feedback and forget answer 403 until Http:ApiKey is set")]
    private static partial void LogWritesRefused(ILogger logger, string urls);
}
