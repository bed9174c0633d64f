using System.Net;
using System.Text.Json;
using SpotMirror.Core.Ports;

namespace SpotMirror.Spotify;

public sealed partial class SpotifyClient
{
    /// <summary>
    /// A person's grant at {AccountsBaseUrl}/api/token (authorization_code with its code_verifier, or refresh_token),
    /// as PKCE's public client: the client id travels in the form and the client secret never does.
    /// </summary>
    internal async Task<AuthorizedTokens> GrantAsync(IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, options.AccountsBaseUrl.TrimEnd('/') + "/api/token")
        {
            Content = new FormUrlEncodedContent([.. form, KeyValuePair.Create("client_id", options.ClientId!.Trim())]),
        };
        usage.CountToken();
        using var response = await SendAsync(request, "a token", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var answer = TryParse(body, out var root) ? root : default;
        var error = SpotifyJson.Text(answer, "error");
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            // invalid_grant: a code used twice or too late, a verifier that does not match, a revoked refresh token.
            throw new MetadataException(MetadataFailure.Refused,
                $"Spotify did not accept the authorization ({error ?? "no error code"}: {SpotifyJson.Text(answer, "error_description") ?? "no description"}).");
        }
        if (!response.IsSuccessStatusCode || SpotifyJson.Text(answer, "access_token") is not { } access)
        {
            throw new MetadataException(MetadataFailure.Unavailable,
                $"Spotify's accounts service did not give a token (HTTP {(int)response.StatusCode}{(error is null ? "" : ", " + error)}). Try again later.");
        }
        var lifetime = TimeSpan.FromSeconds(Math.Max(0, SpotifyJson.Number(answer, "expires_in") ?? 3600));
        return new AuthorizedTokens(access, SpotifyJson.Text(answer, "refresh_token"), clock.GetUtcNow() + lifetime, SpotifyJson.Text(answer, "scope"));
    }

}
