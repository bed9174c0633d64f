using System.Text.RegularExpressions;

namespace SpotMirror.Telegram;

/// <summary>The "Telegram" configuration section. With no token the Telegram bot does not run.</summary>
public sealed partial record TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>The bot token from @BotFather ("123456:ABC..."); from configuration or the Telegram__Token environment variable, never committed.</summary>
    public string? Token { get; init; }

    /// <summary>The Bot API server; only the scheme and authority are used (tests point it at a loopback fake).</summary>
    public string BaseUrl { get; init; } = "https://api.telegram.org";

    /// <summary>Seconds a getUpdates long poll may wait for news (Telegram's own server ends polls at about 50).</summary>
    public int PollTimeoutSeconds { get; init; } = 50;

    /// <summary>At most this many updates per getUpdates call, all committed in one transaction.</summary>
    public int BatchLimit { get; init; } = 100;

    /// <summary>Least time between two messages to one chat (Telegram's limit is about one a second).</summary>
    public double PerChatIntervalSeconds { get; init; } = 1.0;

    /// <summary>Most messages per minute to one group (Telegram's limit is 20).</summary>
    public int GroupMessagesPerMinute { get; init; } = 20;

    /// <summary>Most messages per second over all chats (Telegram's limit is about 30).</summary>
    public int MessagesPerSecond { get; init; } = 30;

    /// <summary>A reply still unsent after this many minutes (Telegram down, say) is dropped as too late to help.</summary>
    public double ReplyExpiryMinutes { get; init; } = 15;

    /// <summary>
    /// Webhook mode: the public https address Telegram POSTs updates to (a load balancer in front of any
    /// worker); its path is the route each worker's HTTP front end serves. Empty: poll with getUpdates.
    /// </summary>
    public string? WebhookUrl { get; init; }

    /// <summary>Telegram's secret_token for the webhook, 1-256 of A-Z a-z 0-9 _ -; required with WebhookUrl (Telegram__WebhookSecret), never committed.</summary>
    public string? WebhookSecret { get; init; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    public bool Webhook => !string.IsNullOrWhiteSpace(WebhookUrl);

    /// <summary>The route a worker serves the webhook on: the path of WebhookUrl.</summary>
    public string WebhookPath => Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var uri) ? uri.AbsolutePath : "/";

    public static bool IsValidWebhook(TelegramOptions options) =>
        !options.Webhook || (IsValidBaseUrl(options.WebhookUrl) && options.WebhookPath.Length > 1);

    public static bool IsValidWebhookSecret(TelegramOptions options) =>
        !options.Webhook || (options.WebhookSecret is { } secret && SecretShape().IsMatch(secret));

    /// <summary>The token's shape as Telegram.Bot checks it: digits, a colon, the secret.</summary>
    public static bool IsWellFormedToken(string? token) => token is not null && TokenShape().IsMatch(token);

    public static bool IsValidBaseUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex SecretShape();

    [GeneratedRegex(@"^\d{1,16}:\S+$")]
    private static partial Regex TokenShape();
}
