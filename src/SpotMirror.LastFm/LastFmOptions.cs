namespace SpotMirror.LastFm;

/// <summary>
/// The "LastFm" configuration section. Without an API key nothing calls Last.fm and SpotMirror runs on its
/// own catalogue. A class, not a record, so the key can never be printed by a generated ToString.
/// </summary>
public sealed class LastFmOptions
{
    public const string Section = "LastFm";

    /// <summary>Where a key comes from (free, with a Last.fm account).</summary>
    public const string KeyPage = "https://www.last.fm/api/account/create";

    /// <summary>The API key; from the LastFm__ApiKey environment variable or configuration, never committed.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The API root every method is called on; tests point it at a loopback fake.</summary>
    public string BaseUrl { get; init; } = "https://ws.audioscrobbler.com/2.0/";

    /// <summary>Requests a second from this process, kept on our side (Last.fm asks for no more than 5 on average).</summary>
    public double RequestsPerSecond { get; init; } = 4;

    /// <summary>Tries per request when Last.fm is rate limiting, failing or slow (1: no retry).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>Wait before the first retry; it doubles with every further try (capped at a minute).</summary>
    public double RetryBaseSeconds { get; init; } = 1;

    /// <summary>A request with no answer after this long is abandoned and retried.</summary>
    public double TimeoutSeconds { get; init; } = 10;

    /// <summary>How long a catalogue answer is reused from the response cache (0: no caching). People's own lists are never cached.</summary>
    public double CacheHours { get; init; } = 24;

    public bool HasApiKey => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>What to tell a person when there is no key.</summary>
    public static string MissingKeyMessage =>
        $"No Last.fm API key is set. Get one (free) at {KeyPage}, then set the environment variable LastFm__ApiKey " +
        "(or LastFm:ApiKey in appsettings.json). Until then SpotMirror runs on its starter catalogue.";

    public static bool IsValidBaseUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Query.Length == 0;
}
