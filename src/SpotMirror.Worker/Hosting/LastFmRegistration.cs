using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Ports;
using SpotMirror.LastFm;
using SpotMirror.Storage;
using SpotMirror.UseCases;

namespace SpotMirror.Worker.Hosting;

/// <summary>
/// Last.fm as the metadata provider, the response cache, sync state and account linking. Registered with
/// or without an API key: without one every Last.fm call says how to add a key and nothing else changes.
/// </summary>
public static class LastFmRegistration
{
    public static IServiceCollection AddLastFm(this IServiceCollection services)
    {
        services.AddOptions<LastFmOptions>().BindConfiguration(LastFmOptions.Section)
            .Validate(o => LastFmOptions.IsValidBaseUrl(o.BaseUrl), "LastFm:BaseUrl must be an absolute http or https URL without a query.")
            .Validate(o => o.RequestsPerSecond is > 0 and <= 100, "LastFm:RequestsPerSecond must be above 0 and at most 100 (Last.fm asks for 5 or fewer).")
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, "LastFm:MaxAttempts must be 1 to 10.")
            .Validate(o => o.RetryBaseSeconds is >= 0 and <= 60, "LastFm:RetryBaseSeconds must be 0 to 60.")
            .Validate(o => o.TimeoutSeconds is > 0 and <= 300, "LastFm:TimeoutSeconds must be above 0 and at most 300.")
            .Validate(o => o.CacheHours >= 0, "LastFm:CacheHours must be 0 or more.")
            .ValidateOnStart();
        services.AddOptions<LinkOptions>().BindConfiguration(LinkOptions.Section)
            .Validate(o => o.TopTracks is >= 0 and <= 1000 && o.LovedTracks is >= 0 and <= 1000, "Linking:TopTracks and Linking:LovedTracks must be 0 to 1000.")
            .Validate(o => o.TopWeight is > 0 and <= 1 && o.LovedWeight is > 0 and <= 1, "Linking:TopWeight and Linking:LovedWeight must be above 0 and at most 1.")
            .ValidateOnStart();

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LastFmOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<LinkOptions>>().Value);
        services.AddSingleton<IResponseCache, SqlResponseCache>();
        services.AddSingleton<RequestPacer>();
        // The URL holds the API key, so the factory's request logging is removed. The provider is a singleton
        // holding one typed client, so connections are recycled by the handler rather than by the factory.
        services.AddHttpClient<LastFmClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers();
        services.AddSingleton<LastFmProvider>();
        services.AddSingleton<IMetadataProvider>(sp => sp.GetRequiredService<LastFmProvider>());

        services.AddSingleton<ISyncState, SqlSyncState>();
        services.AddSingleton<ILinkStore, SqlLinkStore>();
        services.AddSingleton<CatalogSync>();
        services.AddSingleton<AccountLinker>();
        services.AddSingleton<IAccountLinker>(sp => sp.GetRequiredService<AccountLinker>());
        services.AddHostedService<LastFmStatus>();
        return services;
    }
}
