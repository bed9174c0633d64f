using System.Net;
using System.Net.Sockets;
using System.Text;
using SpotMirror.Testing;
using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Telegram;

/// <summary>
/// The real process in webhook mode (Telegram:WebhookUrl and WebhookSecret) against the fake, which POSTs
/// updates to the process's own HTTP front end: a command is answered, a wrong or missing secret is 401
/// and stores nothing, Telegram's redelivery of an update applies once, and a body that is no update is 400.
/// </summary>
public sealed class TelegramWebhookTests : IAsyncLifetime
{
    private const long Private = 42;
    private const string Secret = "hook_S3cret-for-tests";
    private const string HookPath = "/telegram/hook";
    private static readonly TimeSpan Patience = TelegramBotProcess.Patience;
    private readonly string _base = $"http://127.0.0.1:{FreePort()}";
    private TelegramBotProcess _bot = null!;

    public async Task InitializeAsync() => _bot = await TelegramBotProcess.StartAsync(settings: new Dictionary<string, string?>
    {
        ["Http__Enabled"] = "true",
        ["Http__Urls"] = _base,
        ["Telegram__WebhookUrl"] = _base + HookPath,
        ["Telegram__WebhookSecret"] = Secret,
    });

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private FakeTelegramServer Fake => _bot.Fake;

    /// <summary>Until setWebhook came and the process's HTTP front end (started after the bots) accepts connections.</summary>
    private async Task WaitForWebhookAsync()
    {
        await Eventually.WaitAsync(() => Task.FromResult(Fake.Webhook), target => target is not null, Patience, _ => $"setWebhook never came; log:\n{_bot.Log}");
        using var http = new HttpClient();
        await Eventually.WaitAsync(async () =>
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Head, _base + "/health");
                using var response = await http.SendAsync(request);
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, listening => listening, Patience, _ => $"the HTTP front end never listened on {_base}; log:\n{_bot.Log}");
    }

    [Fact]
    public async Task The_bot_sets_its_webhook_with_the_secret_and_the_pollers_update_types_instead_of_polling()
    {
        await WaitForWebhookAsync();

        Assert.Equal(_base + HookPath, Fake.Webhook!.Url);
        Assert.Equal(Secret, Fake.Webhook.Secret);
        Assert.Equal(["message", "callback_query", "message_reaction", "message_reaction_count", "inline_query"], Fake.Webhook.AllowedUpdates);
        Assert.DoesNotContain(Fake.Requests, r => r.Method is "getUpdates" or "deleteWebhook");
        Assert.DoesNotContain(Secret, _bot.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mood_command_through_the_webhook_is_answered_and_committed_before_the_200()
    {
        await WaitForWebhookAsync();

        var update = Fake.SendText(Private, "private", 7, "Ana", "/mood chill 3");
        var delivered = await Fake.WaitForWebhookDeliveryAsync(d => d.UpdateId == update && d.Status == 200, Patience);
        var committed = await _bot.QueryAsync<long>("SELECT COUNT(*) FROM outbox WHERE event_id LIKE 'tg:msg:42:%'");
        var reply = await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == Fake.MessageIdOf(update), Patience);

        Assert.Equal(1, delivered.Attempt);
        Assert.Equal(1, committed);
        Assert.StartsWith("Chill", reply.PlainText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(3, (await _bot.WaitForLedgerAsync(Private, reply.MessageId)).Count);
    }

    [Fact]
    public async Task Telegram_redelivering_an_update_applies_it_once()
    {
        await WaitForWebhookAsync();
        var update = Fake.SendText(Private, "private", 7, "Ana", "/mood chill 2");
        await Fake.WaitForWebhookDeliveryAsync(d => d.UpdateId == update && d.Status == 200, Patience);
        var reply = await Fake.WaitForMessageAsync(m => m.ReplyToMessageId == Fake.MessageIdOf(update), Patience);
        var tracks = await _bot.WaitForLedgerAsync(Private, reply.MessageId);
        var press = Fake.PressButton(Private, "private", reply.MessageId, 7, "Ana", $"fb:l:1:{tracks[0]}");
        await Fake.WaitForWebhookDeliveryAsync(d => d.UpdateId == press.UpdateId && d.Status == 200, Patience);
        var score = await _bot.ScoreAsync(7, tracks[0]);

        Fake.RedeliverThroughWebhook(update);
        Fake.RedeliverThroughWebhook(press.UpdateId);
        await Eventually.WaitAsync(() => Task.FromResult(Fake.WebhookDeliveries.Count(d => d.Status == 200)), n => n == 4, Patience, n => $"{n} of 4 deliveries answered 200; log:\n{_bot.Log}");

        Assert.NotNull(score);
        Assert.Equal(score, await _bot.ScoreAsync(7, tracks[0]));
        Assert.Equal(1, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM feedback_events"));
        Assert.Equal(1, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM outbox"));
        Assert.Single(Fake.SentMessages, m => m.ReplyToMessageId == Fake.MessageIdOf(update));
    }

    [Fact]
    public async Task Two_webhook_workers_on_one_database_send_each_reply_once()
    {
        await WaitForWebhookAsync();
        // A second worker behind the same hook address on a port of its own: Telegram POSTs every update to the
        // first, while both run a sender over the one outbox.
        await using var second = _bot.Beside(new Dictionary<string, string?> { ["Http__Urls"] = $"http://127.0.0.1:{FreePort()}" });
        await second.WaitForLogAsync("webhook set", Patience);
        // Slow sends keep replies pending for several seconds, longer than the second sender's idle look.
        Fake.FailNext("sendMessage", TelegramFault.Delay(TimeSpan.FromSeconds(1)), times: 8);

        var updates = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            var update = Fake.SendText(Private, "private", 7, "Ana", "/mood chill 2");
            await Fake.WaitForWebhookDeliveryAsync(d => d.UpdateId == update && d.Status == 200, Patience);
            updates.Add(update);
        }
        await _bot.WaitForSentAsync(8);

        Assert.All(updates, update => Assert.Single(Fake.SentMessages, m => m.ReplyToMessageId == Fake.MessageIdOf(update)));
        Assert.Equal(8, Fake.SentMessages.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hook_S3cret-for-test")]
    [InlineData("hook_S3cret-for-tests-and-more")]
    public async Task A_post_with_a_wrong_or_missing_secret_is_401_and_nothing_is_stored(string? secret)
    {
        await WaitForWebhookAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + HookPath)
        {
            Content = new StringContent(
                """{"update_id":77,"message":{"message_id":5,"date":1700000000,"chat":{"id":42,"type":"private"},"from":{"id":7,"is_bot":false,"first_name":"Eve"},"text":"/forget","entities":[{"type":"bot_command","offset":0,"length":7}]}}""",
                Encoding.UTF8, "application/json"),
        };
        if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM outbox"));
        Assert.Equal(0, await _bot.QueryAsync<long>("SELECT COUNT(*) FROM users WHERE platform = 'telegram'"));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"message":{"message_id":5}}""")]
    [InlineData("[1,2]")]
    public async Task A_body_that_is_no_update_is_400(string body)
    {
        await WaitForWebhookAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + HookPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", Secret);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
