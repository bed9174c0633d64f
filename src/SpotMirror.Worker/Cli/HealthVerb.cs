using System.CommandLine;

namespace SpotMirror.Worker.Cli;

/// <summary>
/// `health`: asks a running SpotMirror's /health/ready and exits 0 when it answers 200, 1 otherwise. The
/// container image's HEALTHCHECK runs it, so the image needs no curl or wget.
/// </summary>
public static class HealthVerb
{
    public const string DefaultUrl = "http://127.0.0.1:5080/health/ready";

    public static Command Build(CliConsole console)
    {
        var url = new Option<string>("--url") { Description = $"The address to ask (default {DefaultUrl}).", DefaultValueFactory = _ => DefaultUrl };
        var command = new Command("health", "Ask a running SpotMirror whether it is ready: exit 0 when it is, 1 when not.") { url };
        command.SetAction((result, ct) => AskAsync(console, result.GetRequiredValue(url), ct));
        return command;
    }

    private static async Task<int> AskAsync(CliConsole console, string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            await console.Error.WriteLineAsync($"--url {url} is not an absolute http:// or https:// address.").ConfigureAwait(false);
            return 2;
        }
        // A health check that hangs is worse than one that fails: the orchestrator's own timeout is a few seconds.
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await client.GetAsync(address, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            await console.Out.WriteLineAsync($"{(int)response.StatusCode} {body}").ConfigureAwait(false);
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await console.Error.WriteLineAsync($"{address}: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
