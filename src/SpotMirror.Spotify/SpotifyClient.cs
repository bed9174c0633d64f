using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.Timeout;
using SpotMirror.Core.Ports;

namespace SpotMirror.Spotify;

/// <summary>
/// Spotify's Web API over a typed HttpClient, as one call: <see cref="GetAsync"/> adds an app access token
/// (client-credentials flow, kept until shortly before it expires, replaced once when Spotify answers 401),
/// reads the JSON and maps what is left of a failure after the resilience handler's retries to a
/// <see cref="MetadataFailure"/>. The client secret only ever travels in the token request's Basic header.
/// </summary>
public sealed partial class SpotifyClient(
    HttpClient http,
    SpotifyOptions options,
    SpotifyUsage usage,
    TimeProvider clock,
    ILogger<SpotifyClient> logger) : IDisposable
{
    /// <summary>How long before Spotify's expiry a token is renewed, so no request carries one that dies in flight.</summary>
    internal static readonly TimeSpan RenewMargin = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private AccessToken? _token;

    private sealed record AccessToken(string Value, DateTimeOffset RenewAt);

    /// <summary>
    /// GETs a Web API path ("/search") with its query and returns the root of the JSON answer. A 404 is
    /// <see cref="MetadataFailure.NotFound"/>; an answer that is not JSON is asked for again, like a 5xx.
    /// </summary>
    public Task<JsonElement> GetAsync(string path, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken cancellationToken)
    {
        if (!options.HasCredentials) throw new MetadataException(MetadataFailure.NotConfigured, SpotifyOptions.MissingCredentialsMessage);
        return GetAsync(path, query, TokenAsync, user: false, cancellationToken);
    }

    /// <summary>As <see cref="GetAsync(string, IReadOnlyList{KeyValuePair{string, string}}, CancellationToken)"/>, with a person's access token (renewed once when Spotify refuses it).</summary>
    public Task<JsonElement> GetAsUserAsync(string path, IReadOnlyList<KeyValuePair<string, string>> query, IAccessTokens tokens, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        return GetAsync(path, query, (refused, ct) => refused is null ? tokens.CurrentAsync(ct) : tokens.RenewAsync(ct), user: true, cancellationToken);
    }

    private async Task<JsonElement> GetAsync(
        string path, IReadOnlyList<KeyValuePair<string, string>> query, Func<string?, CancellationToken, Task<string>> tokenFor, bool user, CancellationToken cancellationToken)
    {
        var uri = RequestUri(path, query);
        string? refused = null;
        for (var malformed = 0; ;)
        {
            var token = await tokenFor(refused, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            usage.CountCall();
            using var response = await SendAsync(request, path, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && refused is null)
            {
                // An expired (or revoked) token: one new token, one new try.
                refused = token;
                usage.CountRefresh();
                LogTokenRefused(logger, path);
                continue;
            }
            if (!response.IsSuccessStatusCode) throw Failure(path, response, body, user);
            if (TryParse(body, out var root)) return root;
            if (++malformed >= options.MaxAttempts)
            {
                throw new MetadataException(MetadataFailure.Unavailable,
                    $"Spotify answered {path} with something that is not JSON, {malformed} times. Try again later.");
            }
            LogMalformed(logger, path, malformed, options.MaxAttempts);
        }
    }

    public void Dispose() => _tokenGate.Dispose();

    private Uri RequestUri(string path, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var text = new StringBuilder(options.ApiBaseUrl.TrimEnd('/')).Append(path);
        var separator = '?';
        foreach (var (name, value) in query)
        {
            text.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return new Uri(text.ToString(), UriKind.Absolute);
    }

    /// <summary>One request through the resilience handler; what it could not cure becomes an Unavailable failure.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new MetadataException(MetadataFailure.Unavailable,
                $"Spotify did not answer {what} within {options.TimeoutSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s, {Tries}. Try again later.", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new MetadataException(MetadataFailure.Unavailable, $"Spotify could not be reached for {what} ({exception.Message}), {Tries}.", exception);
        }
    }

    private string Tries => options.MaxAttempts == 1 ? "in 1 try" : $"in {options.MaxAttempts} tries";

    private MetadataException Failure(string path, HttpResponseMessage response, string body, bool user)
    {
        var code = (int)response.StatusCode;
        var message = SpotifyJson.ErrorMessage(body) ?? "no message";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when user => new MetadataException(MetadataFailure.Refused,
                $"Spotify refused this authorization for {path} ({message}). Say /link spotify again."),
            HttpStatusCode.Unauthorized => new MetadataException(MetadataFailure.InvalidCredentials,
                $"Spotify refused a fresh access token for {path} ({message}). Check Spotify:ClientId and Spotify:ClientSecret."),
            HttpStatusCode.NotFound => new MetadataException(MetadataFailure.NotFound, $"Spotify does not know that ({message})."),
            HttpStatusCode.TooManyRequests => new MetadataException(MetadataFailure.Unavailable, SpotifyResilience.RetryAfter(response) is { } wait
                ? $"Spotify is rate limiting this app and asks to wait {wait.TotalSeconds:0} s. Try again later."
                : $"Spotify is rate limiting this app ({Tries}). Try again later."),
            _ when code >= 500 => new MetadataException(MetadataFailure.Unavailable, $"Spotify answered {path} with HTTP {code} {Tries}. Try again later."),
            _ => new MetadataException(MetadataFailure.Refused, $"Spotify refused {path} (HTTP {code}: {message})."),
        };
    }

    /// <summary>The cached app token, or a new one when there is none, it is about to expire, or Spotify just refused it.</summary>
    private async Task<string> TokenAsync(string? refused, CancellationToken cancellationToken)
    {
        await _tokenGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } kept && kept.Value != refused && clock.GetUtcNow() < kept.RenewAt) return kept.Value;
            _token = await FetchTokenAsync(cancellationToken).ConfigureAwait(false);
            return _token.Value;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    private async Task<AccessToken> FetchTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.AccountsBaseUrl.TrimEnd('/') + "/api/token")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ClientId!.Trim() + ":" + options.ClientSecret!.Trim())));
        usage.CountToken();
        using var response = await SendAsync(request, "a token", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var answer = TryParse(body, out var root) ? root : default;
        var error = SpotifyJson.Text(answer, "error");
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized && error is "invalid_client" or "unauthorized_client")
        {
            throw new MetadataException(MetadataFailure.InvalidCredentials,
                $"Spotify rejected the client id or secret ({error}: {SpotifyJson.Text(answer, "error_description") ?? "no description"}). " +
                $"Check Spotify__ClientId and Spotify__ClientSecret; they come from an app at {SpotifyOptions.DashboardPage}.");
        }
        if (!response.IsSuccessStatusCode || SpotifyJson.Text(answer, "access_token") is not { } value)
        {
            throw new MetadataException(MetadataFailure.Unavailable,
                $"Spotify's accounts service did not give a token (HTTP {(int)response.StatusCode}{(error is null ? "" : ", " + error)}). Try again later.");
        }
        var lifetime = TimeSpan.FromSeconds(Math.Max(0, SpotifyJson.Number(answer, "expires_in") ?? 3600));
        var margin = lifetime > RenewMargin * 2 ? RenewMargin : lifetime / 2;
        LogToken(logger, lifetime.TotalSeconds);
        return new AccessToken(value, clock.GetUtcNow() + lifetime - margin);
    }

    private static bool TryParse(string body, out JsonElement root)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
            return root.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            root = default;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Spotify: a new app token, valid for {Seconds:F0} s")]
    private static partial void LogToken(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Spotify refused the app token on {Path} (expired); fetching a new one")]
    private static partial void LogTokenRefused(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spotify answered {Path} with a malformed body; try {Attempt} of {MaxAttempts}, asking again")]
    private static partial void LogMalformed(ILogger logger, string path, int attempt, int maxAttempts);
}
