using System.Globalization;
using System.Text;
using System.Text.Json;
using SpotMirror.Core.Ports;

namespace SpotMirror.Spotify;

/// <summary>
/// Spotify for /link: the authorization-code flow with PKCE (S256) for the scopes user-top-read and
/// user-library-read, then the person's top tracks (/me/top/tracks) and saved tracks (/me/tracks), both
/// paged 50 at a time, as provider tracks carrying Spotify's id, ISRC and names for the catalogue to match.
/// </summary>
public sealed class SpotifyAuthorization(SpotifyClient client, SpotifyOptions options) : IAuthorizedTasteProvider
{
    public const string Scopes = "user-top-read user-library-read";

    /// <summary>Spotify's largest page of /me/top/tracks and /me/tracks.</summary>
    public const int PageSize = 50;

    public string Name => SpotifyProvider.ProviderName;

    public string DisplayName => "Spotify";

    public bool Configured => !string.IsNullOrWhiteSpace(options.ClientId);

    public Uri AuthorizeUri(string state, string codeChallenge, Uri redirectUri)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var query = new[]
        {
            ("client_id", options.ClientId!.Trim()),
            ("response_type", "code"),
            ("redirect_uri", redirectUri.ToString()),
            ("code_challenge_method", "S256"),
            ("code_challenge", codeChallenge),
            ("state", state),
            ("scope", Scopes),
        };
        var text = new StringBuilder(options.AccountsBaseUrl.TrimEnd('/')).Append("/authorize");
        var separator = '?';
        foreach (var (name, value) in query)
        {
            text.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return new Uri(text.ToString(), UriKind.Absolute);
    }

    public Task<AuthorizedTokens> ExchangeAsync(string code, string codeVerifier, Uri redirectUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        return client.GrantAsync(
        [
            KeyValuePair.Create("grant_type", "authorization_code"),
            KeyValuePair.Create("code", code),
            KeyValuePair.Create("redirect_uri", redirectUri.ToString()),
            KeyValuePair.Create("code_verifier", codeVerifier),
        ], cancellationToken);
    }

    public Task<AuthorizedTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        client.GrantAsync([KeyValuePair.Create("grant_type", "refresh_token"), KeyValuePair.Create("refresh_token", refreshToken)], cancellationToken);

    public async Task<string> AccountAsync(IAccessTokens tokens, CancellationToken cancellationToken)
    {
        var me = await client.GetAsUserAsync("/me", [], tokens, cancellationToken).ConfigureAwait(false);
        return SpotifyJson.Text(me, "id") ?? throw new MetadataException(MetadataFailure.Unavailable, "Spotify's /me answer named no account.");
    }

    public Task<IReadOnlyList<ProviderTrack>> TopTracksAsync(IAccessTokens tokens, int limit, CancellationToken cancellationToken) =>
        PagedAsync("/me/top/tracks", [KeyValuePair.Create("time_range", "medium_term")], item => item, tokens, limit, cancellationToken);

    /// <summary>Saved tracks come wrapped: each item is {added_at, track}.</summary>
    public Task<IReadOnlyList<ProviderTrack>> SavedTracksAsync(IAccessTokens tokens, int limit, CancellationToken cancellationToken) =>
        PagedAsync("/me/tracks", [], item => SpotifyJson.Child(item, "track"), tokens, limit, cancellationToken);

    private async Task<IReadOnlyList<ProviderTrack>> PagedAsync(
        string path, IReadOnlyList<KeyValuePair<string, string>> extra, Func<JsonElement, JsonElement> trackOf, IAccessTokens tokens, int limit, CancellationToken cancellationToken)
    {
        var tracks = new List<ProviderTrack>();
        for (var offset = 0; tracks.Count < limit;)
        {
            var size = Math.Min(PageSize, limit - tracks.Count);
            var page = await client.GetAsUserAsync(path,
                [.. extra, KeyValuePair.Create("limit", size.ToString(CultureInfo.InvariantCulture)), KeyValuePair.Create("offset", offset.ToString(CultureInfo.InvariantCulture))],
                tokens, cancellationToken).ConfigureAwait(false);
            var items = SpotifyJson.Array(page, "items").ToList();
            // Local files and unavailable tracks come back without an id; they cannot be matched, so they are skipped.
            tracks.AddRange(items.Select(i => SpotifyJson.Track(trackOf(i), _ => [])).OfType<ProviderTrack>());
            offset += items.Count;
            if (items.Count == 0 || SpotifyJson.Text(page, "next") is null) break;
        }
        return tracks.Count > limit ? tracks.Take(limit).ToList() : tracks;
    }
}
