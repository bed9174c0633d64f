using System.CommandLine;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Ports;
using SpotMirror.Runtime;
using SpotMirror.Storage;
using SpotMirror.Storage.Catalog;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Worker.ConsoleChat;
using SpotMirror.Worker.Hosting;
using SpotMirror.Http;

namespace SpotMirror.Worker.Cli;

/// <summary>The command line: run (the default), chat, migrate, catalog stats, catalog import csv, storage copy.</summary>
public static class Verbs
{
    /// <summary>Parses and runs one command line; help and parse errors go to the console's writers too.</summary>
    public static Task<int> InvokeAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        // Only the real process answers SIGINT and SIGTERM; a verb run inside a test is stopped by its token.
        if (!console.OwnsProcess) configuration.ProcessTerminationTimeout = null;
        return Build(console).Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    public static RootCommand Build(CliConsole console)
    {
        var db = new Option<string?>("--db") { Description = "The SQLite database file (overrides Storage:Path).", Recursive = true };
        var user = new Option<string?>("--user") { Description = "Who speaks first in the console chat (default: your login name)." };
        var csvPath = new Argument<FileInfo>("PATH") { Description = "A CSV file with columns title, artist, tags and optional listeners, playcount, year." };

        var run = new Command("run", "Run SpotMirror: the Telegram and/or Discord bot when their tokens are set, else the console chat (the default verb).");
        run.SetAction((result, ct) => RunAsync(console, result.GetValue(db), ct));

        var chat = new Command("chat", "Chat with SpotMirror in this terminal (or pipe a script into it).") { user };
        chat.SetAction((result, ct) => ChatAsync(console, result.GetValue(db), result.GetValue(user), ct));

        var migrate = new Command("migrate", "Apply the database migrations and exit.");
        migrate.SetAction((result, ct) => WithStorageAsync(console, result.GetValue(db), MigrateAsync, ct));

        var stats = new Command("stats", "Count what the catalogue and the preference table hold.");
        stats.SetAction((result, ct) => WithStorageAsync(console, result.GetValue(db), StatsAsync, ct));

        var csv = new Command("csv", "Import tracks from a CSV file (new tracks added, known ones updated).") { csvPath };
        csv.SetAction((result, ct) => WithStorageAsync(console, result.GetValue(db), (_, sp, token) => ImportCsvAsync(console, sp, result.GetRequiredValue(csvPath), token), ct));

        var catalog = new Command("catalog", "Inspect or extend the music catalogue.") { stats, new Command("import", "Import tracks into the catalogue.") { csv } };
        catalog.Subcommands.Add(SyncVerb.Build(console));

        var root = new RootCommand("SpotMirror: music recommendations in chat, learned from your emoji reactions.") { db, run, chat, migrate, catalog, EvalVerb.Build(console), HealthVerb.Build(console), StorageVerb.Build(console, db) };
        root.SetAction((result, ct) => RunAsync(console, result.GetValue(db), ct));
        return root;
    }

    /// <summary>
    /// The product: every configured bot in one host, or the console chat when no bot token is set; the
    /// HTTP API beside either (unless Http:Enabled is false).
    /// </summary>
    private static async Task<int> RunAsync(CliConsole console, string? database, CancellationToken cancellationToken)
    {
        var builder = ServiceRegistration.CreateBuilder(database, console.Settings);
        if (!ServiceRegistration.AddBots(builder)) return await ChatAsync(console, builder, null, withHttp: true, cancellationToken).ConfigureAwait(false);
        builder.Services.AddHttpFrontEnd();
        return await GuardAsync(console, async () =>
        {
            using var host = builder.Build();
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);
    }

    /// <summary>The chat verb: the console chat alone (no HTTP API, so scripted chats never contend for its port).</summary>
    private static Task<int> ChatAsync(CliConsole console, string? database, string? userName, CancellationToken cancellationToken) =>
        ChatAsync(console, ServiceRegistration.CreateBuilder(database, console.Settings), userName, withHttp: false, cancellationToken);

    private static async Task<int> ChatAsync(CliConsole console, HostApplicationBuilder builder, string? userName, bool withHttp, CancellationToken cancellationToken)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var keepServing = withHttp && !string.Equals(builder.Configuration["Http:Enabled"], "false", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddSingleton(new ConsoleChatSettings(userName ?? DefaultUserName(), console.In, console.Out, console.Interactive, keepServing));
        builder.Services.AddCoreLoading();
        // The API starts before the console chat: a scripted chat may end (and stop the host) at once.
        if (withHttp) builder.Services.AddHttpFrontEnd();
        builder.Services.AddHostedService<ConsoleChatService>();
        return await GuardAsync(console, async () =>
        {
            using var host = builder.Build();
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);
    }

    private static async Task<int> WithStorageAsync(CliConsole console, string? database, Func<CliConsole, IServiceProvider, CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        var builder = ServiceRegistration.CreateBuilder(database, console.Settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return await GuardAsync(console, async () =>
        {
            using var host = builder.Build();
            return await work(console, host.Services, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task<int> MigrateAsync(CliConsole console, IServiceProvider services, CancellationToken cancellationToken)
    {
        var database = services.GetRequiredService<IDatabase>();
        await database.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
        var applied = await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        var all = await database.AppliedAsync(cancellationToken).ConfigureAwait(false);
        var version = all.Count == 0 ? 0 : all[^1];
        console.Out.WriteLine(applied.Count == 0
            ? $"{database.Describe}: up to date at schema version {version}."
            : $"{database.Describe}: applied {string.Join(", ", applied.Select(v => v.ToString("0000", System.Globalization.CultureInfo.InvariantCulture)))}; now at schema version {version}.");
        return 0;
    }

    private static async Task<int> StatsAsync(CliConsole console, IServiceProvider services, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<StorageInitializer>().InitializeAsync(seedStarterCatalog: true, cancellationToken).ConfigureAwait(false);
        var stats = await services.GetRequiredService<SqlCatalogStore>().StatsAsync(cancellationToken).ConfigureAwait(false);
        console.Out.WriteLine($"database        {services.GetRequiredService<IDatabase>().Describe}");
        console.Out.WriteLine($"tracks          {stats.Tracks}");
        console.Out.WriteLine($"artists         {stats.Artists}");
        console.Out.WriteLine($"tags            {stats.Tags}");
        console.Out.WriteLine($"users           {stats.Users}");
        console.Out.WriteLine($"preferences     {stats.Preferences}");
        console.Out.WriteLine($"feedback events {stats.FeedbackEvents}");
        return 0;
    }

    private static async Task<int> ImportCsvAsync(CliConsole console, IServiceProvider services, FileInfo file, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await console.Error.WriteLineAsync($"No such file: {file.FullName}").ConfigureAwait(false);
            return 2;
        }
        // The starter catalogue goes in first on a new database, as every other verb does: an import adds to
        // it (seeding only an empty catalogue, it would never come once the import had filled it).
        await services.GetRequiredService<StorageInitializer>().InitializeAsync(seedStarterCatalog: true, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Core.Ports.TrackInput> tracks;
        IReadOnlyList<CsvProblem> problems;
        try
        {
            using var reader = new StreamReader(file.FullName);
            (tracks, problems) = TrackCsv.Read(reader);
        }
        catch (FormatException exception)
        {
            await console.Error.WriteLineAsync($"{file.Name}: {exception.Message}").ConfigureAwait(false);
            return 2;
        }
        var result = await services.GetRequiredService<SqlCatalogStore>().UpsertAsync(tracks, cancellationToken).ConfigureAwait(false);
        console.Out.WriteLine($"{file.Name}: {result.Added} added, {result.Updated} updated, {result.Skipped} unchanged, {problems.Count} row(s) rejected.");
        foreach (var problem in problems.Take(20)) console.Out.WriteLine($"  line {problem.Line}: {problem.Message}");
        if (problems.Count > 20) console.Out.WriteLine($"  ... and {problems.Count - 20} more.");
        return 0;
    }

    /// <summary>The one error boundary of the verbs that open the database: configuration, SQLite and folder problems a person can fix become one sentence on standard error and exit code 1.</summary>
    internal static async Task<int> GuardAsync(CliConsole console, Func<Task<int>> work)
    {
        try
        {
            return await work().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped (SIGTERM, Ctrl+C) before start-up finished: a requested stop, not a failure.
            return 0;
        }
        catch (OptionsValidationException exception)
        {
            await console.Error.WriteLineAsync("Configuration problem: " + string.Join(" ", exception.Failures)).ConfigureAwait(false);
            return 1;
        }
        catch (StorageUnavailableException exception)
        {
            await console.Error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return 1;
        }
        catch (StoreFaultException exception)
        {
            await console.Error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return 1;
        }
        catch (DbException exception)
        {
            await console.Error.WriteLineAsync($"The database could not be opened or updated: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"The database folder could not be used: {exception.Message} Set Storage:Path (or --db) to a writable file path.").ConfigureAwait(false);
            return 1;
        }
        catch (InvalidOperationException exception) when (exception.Message.Contains("schema version", StringComparison.Ordinal))
        {
            await console.Error.WriteLineAsync(exception.Message).ConfigureAwait(false);
            return 1;
        }
    }

    private static string DefaultUserName()
    {
        var name = Environment.UserName;
        return string.IsNullOrWhiteSpace(name) ? "listener" : name;
    }
}
