using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SpotMirror.Chat;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Core.Service;
using SpotMirror.Runtime;
using SpotMirror.Storage;
using SpotMirror.Discord;
using SpotMirror.Http;
using SpotMirror.Telegram;
using SpotMirror.UseCases;

namespace SpotMirror.Worker.Hosting;

/// <summary>The composition root: options bound and validated, storage, core and chat wired once.</summary>
public static class ServiceRegistration
{
    /// <param name="settings">Configuration laid over the files and the environment (the CLI's, from a test running a verb in process).</param>
    public static HostApplicationBuilder CreateBuilder(string? databaseOverride, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = [],
        });
        // appsettings.json beside the working directory wins over the one beside the binary.
        builder.Configuration.AddJsonFile(Path.Combine(Environment.CurrentDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        if (databaseOverride is not null)
        {
            builder.Configuration.AddInMemoryCollection([KeyValuePair.Create<string, string?>("Storage:Path", databaseOverride)]);
        }

        // Standard output belongs to the chat; every log line goes to standard error, as one JSON object per
        // line when Logging:Format=json (for a log collector).
        builder.Logging.ClearProviders();
        if (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddConsole();
        }
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // SIGTERM (systemd, docker stop) ends the process within 10 s at any moment: the services get 7 s to
        // finish the batch in hand, then the host stops waiting for them.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(7));
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // A start-up failure is one sentence from the verbs' error boundary; the host's own "Hosting failed to
        // start" with its stack trace only when Debug is asked for. A background service that brings the host
        // down is logged at Critical, so it still shows.
        var debug = builder.Configuration["Logging:LogLevel:Default"] is "Debug" or "Trace";
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", debug ? LogLevel.Debug : LogLevel.Critical);

        builder.Services.AddSpotMirror();
        return builder;
    }

    /// <summary>
    /// Adds every bot whose token is configured (Telegram and Discord can run in one host), after the core
    /// loader (hosted services start in order, so no adapter reads before the index is built); false when
    /// there is none, and the console chat should run.
    /// </summary>
    public static bool AddBots(HostApplicationBuilder builder)
    {
        var telegram = !string.IsNullOrWhiteSpace(builder.Configuration[$"{TelegramOptions.Section}:Token"]);
        var discord = !string.IsNullOrWhiteSpace(builder.Configuration[$"{DiscordOptions.Section}:Token"]);
        if (!telegram && !discord) return false;

        builder.Services.AddCoreLoading();
        if (telegram) builder.Services.AddTelegramBot().AddTelegramWebhookRoute(builder.Configuration);
        if (discord) builder.Services.AddDiscordBot();
        return true;
    }

    /// <summary>The HTTP API front end, ready once the core loader has finished.</summary>
    public static IServiceCollection AddHttpFrontEnd(this IServiceCollection services)
    {
        services.AddSingleton<IReadinessCheck, StorageReadiness>();
        return services.AddHttpApi(sp =>
        {
            var loader = sp.GetRequiredService<CoreLoader>();
            return () => loader.Ready;
        });
    }

    public static IServiceCollection AddSpotMirror(this IServiceCollection services)
    {
        services.AddOptions<HybridOptions>().BindConfiguration("Recommender")
            .Validate(o => o.Mood >= 0 && o.Content >= 0 && o.Collaborative >= 0 && o.Popularity >= 0, "Recommender weights must be 0 or more.")
            .Validate(o => o.Neighbours is >= 1 and <= 1000, "Recommender:Neighbours must be 1 to 1000.")
            .Validate(o => o.MoodGate is >= 0 and < 1, "Recommender:MoodGate must be from 0 up to (not including) 1.")
            .Validate(o => o.Learned >= 0 && o.LearnedLambda > 0 && o.LearnedAlpha0 >= 0 && o.LearnedRefreshMinutes > 0,
                "Recommender:Learned must be 0 or more, LearnedLambda above 0, LearnedAlpha0 0 or more and LearnedRefreshMinutes above 0.")
            .Validate(o => o.LearnedFactors is >= 1 and <= 1024 && o.LearnedEpochs is >= 1 and <= 1000 && o.LearnedThreads >= 0,
                "Recommender:LearnedFactors must be 1 to 1024, LearnedEpochs 1 to 1000 and LearnedThreads 0 (every core) or more.")
            .ValidateOnStart();
        services.AddOptions<LearningOptions>().BindConfiguration("Learning")
            .Validate(o => o.HalfLifeDays > 0, "Learning:HalfLifeDays must be above 0.")
            .Validate(o => o.ReplyWideFactor is > 0 and <= 1 && o.GroupFactor is > 0 and <= 1, "Learning factors must be above 0 and at most 1.")
            .ValidateOnStart();
        services.AddOptions<ChatOptions>().BindConfiguration("Chat")
            .Validate(o => o.RateLimitBurst >= 1 && o.RateLimitRefillSeconds > 0, "Chat:RateLimitBurst must be at least 1 and Chat:RateLimitRefillSeconds above 0.")
            .Validate(o => o.RecentlyShownWindow >= 0, "Chat:RecentlyShownWindow must be 0 or more.")
            .Validate(o => o.GroupLobbySeconds is >= 5 and <= 3600, "Chat:GroupLobbySeconds must be 5 to 3600.")
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddStorage();

        services.AddSingleton(sp => new PreferenceLearner(sp.GetRequiredService<IOptions<LearningOptions>>().Value));
        services.AddSingleton(sp => new PreferenceMatrix(sp.GetRequiredService<PreferenceLearner>(), sp.GetRequiredService<TimeProvider>().GetUtcNow()));
        services.AddSingleton(sp => new Recommender(
            CatalogIndex.Build([]),
            sp.GetRequiredService<PreferenceMatrix>(),
            sp.GetRequiredService<IOptions<HybridOptions>>().Value));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ChatOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<HybridOptions>>().Value);
        services.AddSingleton<RecommendUseCase>();
        services.AddSingleton<ProfileUseCase>();
        services.AddSingleton<GroupPlaylistUseCase>();
        services.AddSingleton<FeedbackUseCase>();
        services.AddSingleton<ForgetUseCase>();
        services.AddListenLinks();
        services.AddSingleton<ChatService>();
        services.AddSingleton<GroupLobbyClock>();
        services.AddRuntime();
        services.AddLastFm();
        services.AddSpotify();
        return services;
    }
}
