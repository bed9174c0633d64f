using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Ports;
using SpotMirror.LastFm;
using SpotMirror.Spotify;
using SpotMirror.Storage;
using SpotMirror.Storage.Catalog;
using SpotMirror.Worker.Hosting;
using SpotMirror.UseCases;

namespace SpotMirror.Worker.Cli;

/// <summary>`catalog sync`: each tag's top tracks from Last.fm, or each genre's from Spotify (or a CSV file), through the one provider port, into the catalogue.</summary>
public static class SyncVerb
{
    public const int Interrupted = 3;
    private const int MaxPerTag = 1000;

    public static Command Build(CliConsole console)
    {
        var tags = new Option<string[]>("--tags", "--genres")
        {
            Description = "The tags (Last.fm) or genres (Spotify) whose top tracks to pull, comma-separated: --tags happy,sad,chill.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var perTag = new Option<int>("--per-tag", "--per-genre") { Description = $"How many top tracks of each tag or genre (1 to {MaxPerTag}).", DefaultValueFactory = _ => 50 };
        var provider = new Option<string>("--provider")
        {
            Description = "Where from: lastfm (tags' top tracks with listeners and plays) or spotify (genres' tracks with popularity and ISRC).",
            DefaultValueFactory = _ => LastFmProvider.ProviderName,
        };
        provider.AcceptOnlyFromAmong(LastFmProvider.ProviderName, SpotifyProvider.ProviderName);
        var csv = new Option<FileInfo?>("--csv") { Description = "Read the tracks from this CSV file (title, artist, tags, ...) instead of a provider." };
        var sync = new Command("sync", "Pull each tag's (or genre's) top tracks with their popularity and tags into the catalogue; resumes an interrupted run.")
        {
            tags, perTag, provider, csv,
        };
        sync.SetAction((result, ct) => RunAsync(console,
            result.GetValue<string?>("--db"), result.GetRequiredValue(tags), result.GetValue(perTag), result.GetValue(provider)!, result.GetValue(csv), ct));
        return sync;
    }

    private static async Task<int> RunAsync(
        CliConsole console, string? database, string[] rawTags, int perTag, string providerName, FileInfo? csv, CancellationToken cancellationToken)
    {
        var request = new SyncRequest(SyncRequest.CleanTags(rawTags), perTag);
        if (request.Tags.Count == 0) return await FailAsync(console, 2, "Name at least one tag: --tags happy,sad,chill.").ConfigureAwait(false);
        if (perTag is < 1 or > MaxPerTag) return await FailAsync(console, 2, $"--per-tag must be 1 to {MaxPerTag}; {perTag} is outside that.").ConfigureAwait(false);
        if (csv is { Exists: false }) return await FailAsync(console, 2, $"No such file: {csv.FullName}").ConfigureAwait(false);

        var builder = ServiceRegistration.CreateBuilder(database, console.Settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return await Verbs.GuardAsync(console, async () =>
        {
            try
            {
                using var host = builder.Build();
                var services = host.Services;
                IMetadataProvider provider;
                if (csv is not null)
                {
                    using var reader = new StreamReader(csv.FullName);
                    provider = CsvMetadataProvider.Open(reader).Provider;
                }
                else if (providerName == SpotifyProvider.ProviderName)
                {
                    if (!services.GetRequiredService<SpotifyOptions>().HasCredentials) return await FailAsync(console, 1, SpotifyOptions.MissingCredentialsMessage).ConfigureAwait(false);
                    provider = services.GetRequiredService<SpotifyProvider>();
                }
                else
                {
                    if (!services.GetRequiredService<LastFmOptions>().HasApiKey) return await FailAsync(console, 1, LastFmOptions.MissingKeyMessage).ConfigureAwait(false);
                    provider = services.GetRequiredService<LastFmProvider>();
                }
                await services.GetRequiredService<StorageInitializer>().InitializeAsync(seedStarterCatalog: true, cancellationToken).ConfigureAwait(false);
                var code = await SyncAsync(console, services.GetRequiredService<CatalogSync>(), provider, request, cancellationToken).ConfigureAwait(false);
                if (provider is LastFmProvider) PrintUsage(console, services.GetRequiredService<RequestPacer>());
                if (provider is SpotifyProvider) PrintUsage(console, services.GetRequiredService<SpotifyUsage>());
                return code;
            }
            catch (FormatException exception) when (csv is not null)
            {
                return await FailAsync(console, 2, $"{csv.Name}: {exception.Message}").ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    private static async Task<int> SyncAsync(CliConsole console, CatalogSync sync, IMetadataProvider provider, SyncRequest request, CancellationToken cancellationToken)
    {
        var progress = new Relay(console);
        try
        {
            var report = await sync.RunAsync(provider, request, (planned, done) =>
            {
                progress.Start(planned, done);
                console.Out.WriteLine(done > 0
                    ? $"Resuming an interrupted sync from {provider.DisplayName}: {done} of {planned} tracks were done."
                    : $"Syncing from {provider.DisplayName}: {request.Tags.Count} {(provider is SpotifyProvider ? "genre(s)" : "tag(s)")}, up to {request.PerTag} tracks each, {planned} tracks planned.");
            }, progress, cancellationToken).ConfigureAwait(false);
            progress.Dispose();
            foreach (var tag in report.EmptyTags) console.Out.WriteLine($"No tracks for the tag \"{tag}\".");
            console.Out.WriteLine(
                $"Done: {report.Planned} tracks from {provider.DisplayName}: {report.Added} added, {report.Updated} updated, {report.Unchanged} unchanged, " +
                $"{report.NotFound} not found{(report.Refused > 0 ? $", {report.Refused} refused" : "")}.");
            if (report.Added + report.Updated > 0) console.Out.WriteLine("A running SpotMirror uses them from its next start.");
            return 0;
        }
        catch (MetadataException exception) when (exception.StopsEverything)
        {
            progress.Dispose();
            return await FailAsync(console, 1, exception.Message).ConfigureAwait(false);
        }
        catch (MetadataException exception)
        {
            progress.Dispose();
            return await FailAsync(console, Interrupted, $"Sync interrupted: {exception.Message} {progress.Describe()} Run the same command again to carry on.").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            progress.Dispose();
            return await FailAsync(console, Interrupted, $"Sync interrupted. {progress.Describe()} Run the same command again to carry on.").ConfigureAwait(false);
        }
    }

    private static void PrintUsage(CliConsole console, RequestPacer pacer) =>
        console.Out.WriteLine($"Last.fm calls: {pacer.Calls} ({pacer.CacheHits} answered from the cache, {pacer.Retries} retried).");

    private static void PrintUsage(CliConsole console, SpotifyUsage usage) =>
        console.Out.WriteLine($"Spotify calls: {usage.Calls} ({usage.Tokens} token(s) fetched, {usage.Refreshes} refused and replaced, {usage.Retries} retried).");

    private static async Task<int> FailAsync(CliConsole console, int code, string message)
    {
        await console.Error.WriteLineAsync(message).ConfigureAwait(false);
        return code;
    }

    /// <summary>Passes progress to the terminal's bar (when there is one) and remembers it for the interruption message.</summary>
    private sealed class Relay(CliConsole console) : IProgress<int>, IDisposable
    {
        private ProgressBar? _bar;
        private int _planned;
        private int _done;

        public void Start(int planned, int done)
        {
            _planned = planned;
            _done = done;
            _bar = ProgressBar.ForTerminal(console, "sync", planned);
            _bar?.Report(done);
        }

        public void Report(int value)
        {
            _done = value;
            _bar?.Report(value);
        }

        public string Describe() => _planned == 0 ? "Nothing was stored yet." : $"{_done} of {_planned} tracks are stored.";

        public void Dispose()
        {
            _bar?.Dispose();
            _bar = null;
        }
    }
}
