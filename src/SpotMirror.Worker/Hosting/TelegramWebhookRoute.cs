using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpotMirror.Http;
using SpotMirror.Telegram;

namespace SpotMirror.Worker.Hosting;

/// <summary>
/// Telegram's webhook served by the HTTP front end: the two front ends never import each other, so the
/// composition root hands the Telegram receiver to the HTTP app as a POST hook on WebhookUrl's path.
/// </summary>
internal static class TelegramWebhookRoute
{
    public static IServiceCollection AddTelegramWebhookRoute(this IServiceCollection services, IConfiguration configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration[$"{TelegramOptions.Section}:{nameof(TelegramOptions.WebhookUrl)}"])) return services;
        return services.AddSingleton(sp =>
        {
            var webhook = sp.GetRequiredService<TelegramWebhook>();
            return new PostHook(sp.GetRequiredService<IOptions<TelegramOptions>>().Value.WebhookPath, async (request, ct) =>
            {
                var answer = await webhook.ReceiveAsync(request.Header(TelegramWebhook.SecretHeader), request.Body, ct).ConfigureAwait(false);
                return new PostHookAnswer(answer.Status, answer.Text);
            });
        });
    }
}
