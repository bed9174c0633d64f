using Microsoft.Extensions.DependencyInjection;

namespace SpotMirror.Runtime;

/// <summary>
/// One worker's in-memory recommender over time: loaded at start, kept in step with what other workers commit,
/// and its learned model brought in and refreshed in the background.
/// </summary>
public static class RuntimeRegistration
{
    /// <summary>The pieces every host shares; the change follower runs only in hosts that run (it waits for the first load).</summary>
    public static IServiceCollection AddRuntime(this IServiceCollection services)
    {
        services.AddSingleton<CoreLoader>();
        services.AddSingleton<StartupSnapshot>();
        services.AddSingleton<PublishedLearnedModel>();
        services.AddSingleton<ChangeFollower>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeFollower>());
        return services;
    }

    /// <summary>
    /// For hosts that serve: the core loader starts first (hosted services start in order, so nothing added after
    /// it reads before the index is built), then the learned model arrives in the background.
    /// </summary>
    public static IServiceCollection AddCoreLoading(this IServiceCollection services)
    {
        services.AddHostedService(sp => sp.GetRequiredService<CoreLoader>());
        services.AddHostedService<LearnedModelRefresher>();
        services.AddHostedService<SnapshotKeeper>();
        return services;
    }
}
