using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Ports;
using SpotMirror.Spotify;
using SpotMirror.UseCases;

namespace SpotMirror.Worker.Hosting;

/// <summary>
/// Spotify beside Last.fm as a metadata provider: options checked at start-up, the client with its resilience
/// handler, the provider. Registered with or without credentials: without them a Spotify sync says how to add them.
/// </summary>
public static class SpotifyRegistration
{
    public static IServiceCollection AddSpotify(this IServiceCollection services)
    {
        services.AddOptions<SpotifyOptions>().BindConfiguration(SpotifyOptions.Section)
            .Validate(o => SpotifyOptions.IsValidBaseUrl(o.ApiBaseUrl), "Spotify:ApiBaseUrl must be an absolute http or https URL without a query.")
            .Validate(o => SpotifyOptions.IsValidBaseUrl(o.AccountsBaseUrl), "Spotify:AccountsBaseUrl must be an absolute http or https URL without a query.")
            .Validate(o => SpotifyOptions.IsValidMarket(o.Market), "Spotify:Market must be a two-letter country code in capitals (GB, US), or unset.")
            .Validate(o => o.MaxAttempts is >= 1 and <= 10, "Spotify:MaxAttempts must be 1 to 10.")
            .Validate(o => o.RetryBaseSeconds is >= 0 and <= 60, "Spotify:RetryBaseSeconds must be 0 to 60.")
            .Validate(o => o.TimeoutSeconds is > 0 and <= 300, "Spotify:TimeoutSeconds must be above 0 and at most 300.")
            .Validate(o => o.MaxRetryAfterSeconds is >= 0 and <= 3600, "Spotify:MaxRetryAfterSeconds must be 0 to 3600.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SpotifyOptions>>().Value);
        services.AddSpotifyProvider();
        services.AddSingleton<IMetadataProvider>(sp => sp.GetRequiredService<SpotifyProvider>());
        // /link spotify: the person's own authorization through the web app, tokens protected at rest.
        services.AddSingleton<SpotifyAuthorization>();
        services.AddSingleton<IAuthorizedTasteProvider>(sp => sp.GetRequiredService<SpotifyAuthorization>());
        services.AddSecretProtection();
        services.AddSingleton<AuthorizedLinking>();
        return services;
    }
}
