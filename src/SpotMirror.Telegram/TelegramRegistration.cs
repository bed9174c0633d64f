using SpotMirror.Chat;
using Microsoft.Extensions.DependencyInjection;
using SpotMirror.Core.Service;

namespace SpotMirror.Telegram;

/// <summary>Wires the Telegram bot into a host that already has the Chat service and the storage ports.</summary>
public static class TelegramRegistration
{
    public static IServiceCollection AddTelegramBot(this IServiceCollection services)
    {
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section)
            .Validate(o => TelegramOptions.IsWellFormedToken(o.Token),
                "Telegram:Token does not look like a bot token (digits, a colon, then the secret, as @BotFather gives it).")
            .Validate(o => TelegramOptions.IsValidBaseUrl(o.BaseUrl), "Telegram:BaseUrl must be an absolute http or https URL.")
            .Validate(o => o.PollTimeoutSeconds is >= 0 and <= 50, "Telegram:PollTimeoutSeconds must be 0 to 50.")
            .Validate(o => o.BatchLimit is >= 1 and <= 100, "Telegram:BatchLimit must be 1 to 100.")
            .Validate(o => o.PerChatIntervalSeconds >= 0 && o.GroupMessagesPerMinute >= 1 && o.MessagesPerSecond >= 1,
                "Telegram:PerChatIntervalSeconds must be 0 or more, GroupMessagesPerMinute and MessagesPerSecond at least 1.")
            .Validate(o => o.ReplyExpiryMinutes > 0, "Telegram:ReplyExpiryMinutes must be above 0.")
            .Validate(TelegramOptions.IsValidWebhook,
                "Telegram:WebhookUrl must be an absolute https address with a path (e.g. https://bot.example.org/telegram/webhook), or empty to poll.")
            .Validate(TelegramOptions.IsValidWebhookSecret,
                "Telegram:WebhookSecret (or Telegram__WebhookSecret) is required with Telegram:WebhookUrl: 1 to 256 characters of A-Z, a-z, 0-9, _ and -.")
            .ValidateOnStart();
        services.AddSingleton<TelegramConnection>();
        services.AddSingleton<TelegramInlineAnswers>();
        services.AddSingleton<TelegramUpdates>();
        services.AddSingleton<TelegramIdentity>();
        services.AddSingleton<TelegramWebhook>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<PollLeadership>();
        services.AddSingleton<TelegramPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<TelegramPoller>());
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<TelegramPoller>().Connection);
        services.AddSingleton<IReadinessCheck>(sp => sp.GetRequiredService<PollLeadership>());
        services.AddHostedService<TelegramSender>();
        services.AddHostedService<TelegramGroupTimer>();
        return services;
    }
}
