using SpotMirror.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpotMirror.Core.Service;

namespace SpotMirror.Discord;

/// <summary>Wires the Discord bot into a host that already has the Chat service and the storage ports.</summary>
public static class DiscordRegistration
{
    public static IServiceCollection AddDiscordBot(this IServiceCollection services)
    {
        services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Token) && !o.Token.Contains(' ', StringComparison.Ordinal),
                "Discord:Token must be the bot token from the Developer Portal (without the \"Bot \" prefix).")
            .Validate(o => DiscordOptions.IsValidUrl(o.ApiBaseUrl, "http", "https"), "Discord:ApiBaseUrl must be an absolute http or https URL.")
            .Validate(o => string.IsNullOrWhiteSpace(o.GatewayUrl) || DiscordOptions.IsValidUrl(o.GatewayUrl, "ws", "wss"), "Discord:GatewayUrl must be a ws or wss URL, or empty.")
            .Validate(o => string.IsNullOrWhiteSpace(o.DevGuildId) || ulong.TryParse(o.DevGuildId, out _), "Discord:DevGuildId must be a guild id (digits), or empty.")
            .Validate(o => o.ShardCount >= 1 && o.ShardId >= 0 && o.ShardId < o.ShardCount, "Discord:ShardId must be 0 to ShardCount - 1, and ShardCount at least 1.")
            .Validate(o => o.RestMaxAttempts is >= 1 and <= 10, "Discord:RestMaxAttempts must be 1 to 10.")
            .Validate(o => o.RestRetryBaseSeconds is >= 0 and <= 60, "Discord:RestRetryBaseSeconds must be 0 to 60.")
            .Validate(o => o.RestTimeoutSeconds is > 0 and <= 300, "Discord:RestTimeoutSeconds must be above 0 and at most 300.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DiscordOptions>>().Value);
        services.AddSingleton<DiscordRest>();
        services.AddSingleton<DiscordApi>();
        services.AddSingleton<DiscordGateway>();
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<DiscordGateway>().Connection);
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<DiscordBot>();
        services.AddHostedService<DiscordSender>();
        return services;
    }
}
