using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.LastFm;

namespace SpotMirror.Worker.Hosting;

/// <summary>One line at start-up when no Last.fm key is set: SpotMirror runs on its own catalogue, and how to add a key.</summary>
public sealed partial class LastFmStatus(LastFmOptions options, ILogger<LastFmStatus> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.HasApiKey) LogNoKey(logger, LastFmOptions.MissingKeyMessage);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Last.fm sync and /link are off: {HowToAddKey}")]
    private static partial void LogNoKey(ILogger logger, string howToAddKey);
}
