using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Telegram;

/// <summary>Webhook settings that cannot work are refused at start with one sentence, before Telegram is asked anything.</summary>
public sealed class TelegramWebhookSettingsTests
{
    private const string Sentence = "Telegram:WebhookUrl is set but Http:Enabled is false: webhook updates arrive over HTTP";

    [Fact]
    public async Task A_webhook_with_the_http_front_end_off_stops_start_up_with_one_sentence()
    {
        using var db = new TempDatabase();

        var result = await SpotMirrorProcess.RunAsync(["run", "--db", db.Path], environment: new Dictionary<string, string?>
        {
            ["Telegram__Token"] = "123456:TEST-token-for-settings",
            ["Telegram__BaseUrl"] = "http://127.0.0.1:9",
            ["Telegram__WebhookUrl"] = "https://bot.example.org/telegram/hook",
            ["Telegram__WebhookSecret"] = "hook_S3cret-for-tests",
            ["Http__Enabled"] = "false",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.Contains(Sentence, StringComparison.Ordinal));
        Assert.DoesNotContain("hook_S3cret-for-tests", result.Error + result.Output, StringComparison.Ordinal);
    }
}
