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
        // Without the HTTP front end no update would ever arrive, while setWebhook would stop Telegram handing them to a poller.
        services.AddOptions<TelegramOptions>().Validate<IOptions<HttpOptions>>((telegram, http) => !telegram.Webhook || http.Value.Enabled,
            "Telegram:WebhookUrl is set but Http:Enabled is false: webhook updates arrive over HTTP, so set Http:Enabled=true (and Http:Urls to where Telegram's POSTs are forwarded), or clear Telegram:WebhookUrl to poll.");
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
