using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SpotMirror.Http;

public static class HttpApiRegistration
{
    /// <summary>
    /// The HTTP API as a hosted service of the worker's host. Call it after the core loader is registered as
    /// a hosted service: hosted services start in order, and the API should answer from a built index.
    /// <paramref name="readiness"/> tells, from the host's services, whether the core has finished loading.
    /// </summary>
    public static IServiceCollection AddHttpApi(this IServiceCollection services, Func<IServiceProvider, Func<bool>> readiness)
    {
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>());
        services.AddSingleton(sp => new HttpApiService(
            sp.GetRequiredService<IOptions<HttpOptions>>().Value,
            ApiHandlers.Create(sp, readiness(sp)),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<HttpApiService>());
        return services;
    }
}
