using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Service;
using SpotMirror.Http.Web;

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
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicUrl) || o.PublicBase() is { Scheme: "http" or "https" },
                "Web:PublicUrl must be an absolute http:// or https:// address (where people reach the web app), or empty.")
            .Validate(o => o.SessionDays is >= 1 and <= 365, "Web:SessionDays must be 1 to 365.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebOptions>>().Value);
        // Sign-in links are minted only where the API runs; they point at Web:PublicUrl or the address it listens on.
        services.AddSingleton<IWebSignInLinks>(sp => new WebSignInLinks(
            sp.GetRequiredService<IWebSignInStore>(), sp.GetRequiredService<WebOptions>(),
            () => sp.GetRequiredService<HttpApiService>().Addresses, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<WebSignInLinks>>()));
        services.AddSingleton(sp =>
        {
            var handlers = ApiHandlers.Create(sp, readiness(sp));
            return new HttpApiService(
                sp.GetRequiredService<IOptions<HttpOptions>>().Value,
                handlers,
                sp.GetRequiredService<ILoggerFactory>(),
                WebHandlers.Create(sp),
                handlers.Readiness([.. sp.GetServices<IReadinessCheck>()]),
                [.. sp.GetServices<PostHook>()]);
        });
        services.AddHostedService(sp => sp.GetRequiredService<HttpApiService>());
        return services;
    }
}
