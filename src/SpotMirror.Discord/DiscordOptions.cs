namespace SpotMirror.Discord;

/// <summary>The "Discord" configuration section. With no token the Discord bot does not run.</summary>
public sealed record DiscordOptions
{
    public const string Section = "Discord";

    /// <summary>The bot token from the Developer Portal; from configuration or Discord__Token, never committed.</summary>
    public string? Token { get; init; }

    /// <summary>The REST base, version included (tests point it at a loopback fake).</summary>
    public string ApiBaseUrl { get; init; } = "https://discord.com/api/v10";

    /// <summary>A gateway URL to use instead of the one GET /gateway/bot names (tests only); empty: ask Discord.</summary>
    public string? GatewayUrl { get; init; }

    /// <summary>Register the commands in this guild only (instant, for development); empty: globally.</summary>
    public string? DevGuildId { get; init; }

    public int ShardId { get; init; }

    public int ShardCount { get; init; } = 1;

    /// <summary>Tries per REST call (1: no retry); a 429 is always retried, a 5xx or dropped connection only when the call is safe to repeat.</summary>
    public int RestMaxAttempts { get; init; } = 5;

    /// <summary>Wait before the first retry; it doubles with each further try, with jitter.</summary>
    public double RestRetryBaseSeconds { get; init; } = 1;

    /// <summary>One REST attempt with no answer after this long is abandoned (and retried when safe).</summary>
    public double RestTimeoutSeconds { get; init; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    public static bool IsValidUrl(string? url, params string[] schemes) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase);
}
