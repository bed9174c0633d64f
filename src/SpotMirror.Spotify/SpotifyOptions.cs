namespace SpotMirror.Spotify;

/// <summary>
/// The "Spotify" configuration section. Without a client id and secret nothing calls Spotify. A class, not a
/// record, so the secret can never be printed by a generated ToString.
/// </summary>
public sealed class SpotifyOptions
{
    public const string Section = "Spotify";

    /// <summary>Where a client id and secret come from (free, with a Spotify account): create an app there.</summary>
    public const string DashboardPage = "https://developer.spotify.com/dashboard";

    /// <summary>The app's client id (Spotify__ClientId).</summary>
    public string? ClientId { get; init; }

    /// <summary>The app's client secret; from the Spotify__ClientSecret environment variable, never committed.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The Web API root; tests point it at a loopback fake.</summary>
    public string ApiBaseUrl { get; init; } = "https://api.spotify.com/v1";

    /// <summary>The accounts service root, where tokens come from (POST {AccountsBaseUrl}/api/token).</summary>
    public string AccountsBaseUrl { get; init; } = "https://accounts.spotify.com";

    /// <summary>An ISO 3166-1 alpha-2 country (GB, US): searches and lookups see that market's catalogue. Unset: Spotify decides.</summary>
    public string? Market { get; init; }

    /// <summary>Tries per request when Spotify is rate limiting, failing or slow (1: no retry).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait before the first retry of a 5xx or a timeout; it doubles with every further try.</summary>
    public double RetryBaseSeconds { get; init; } = 1;

    /// <summary>A request with no answer after this long is abandoned and retried.</summary>
    public double TimeoutSeconds { get; init; } = 10;

    /// <summary>A 429 asking to wait longer than this is not waited out: the call fails and a sync can be resumed later.</summary>
    public double MaxRetryAfterSeconds { get; init; } = 120;

    public bool HasCredentials => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    public static string MissingCredentialsMessage =>
        $"No Spotify client id and secret are set. Create an app at {DashboardPage} (free), then set the environment " +
        "variables Spotify__ClientId and Spotify__ClientSecret (or Spotify:ClientId in appsettings.json; keep the secret in the environment).";

    public static bool IsValidBaseUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0;

    public static bool IsValidMarket(string? market) =>
        string.IsNullOrEmpty(market) || (market.Length == 2 && market.All(char.IsAsciiLetterUpper));
}
