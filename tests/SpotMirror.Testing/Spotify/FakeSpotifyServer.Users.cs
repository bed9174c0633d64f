using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace SpotMirror.Testing.Spotify;

/// <summary>A person on the fake Spotify: their top tracks (most listened first) and saved tracks (newest first).</summary>
public sealed record FakeSpotifyUser(string Id, string DisplayName, IReadOnlyList<FakeSpotifyTrack> Top, IReadOnlyList<FakeSpotifyTrack> Saved);

/// <summary>
/// The authorization-code flow with PKCE as Spotify runs it: GET /authorize (the person is taken to have said
/// yes as <see cref="FakeSpotifyServer.SignedIn"/>, unless told to refuse) redirects back to redirect_uri with
/// code and state; POST /api/token trades the code once, checking redirect_uri, client_id and that
/// BASE64URL(SHA256(code_verifier)) is the code_challenge; refresh_token renews (and rotates) a person's tokens;
/// /v1/me, /v1/me/top/tracks and /v1/me/tracks answer for the token's person, paged, if its scopes allow.
/// </summary>
public sealed partial class FakeSpotifyServer
{
    private sealed record PendingCode(string User, string RedirectUri, string Challenge, string Scope, string ClientId);

    private sealed record Grant(string User, string Scope);

    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _userTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeSpotifyUser> _users = new(StringComparer.Ordinal);
    private int _userIssued;

    /// <summary>The person signed in at the fake Spotify: whose account /authorize grants.</summary>
    public FakeSpotifyUser? SignedIn { get; set; }

    /// <summary>When true, /authorize answers as if the person pressed Cancel (error=access_denied).</summary>
    public bool Refuse { get; set; }

    /// <summary>Every access and refresh token issued to a person so far (for tests that look for them where they must not be).</summary>
    public IReadOnlyList<string> PersonalTokens => [.. _userTokens.Keys, .. _refreshTokens.Keys];

    /// <summary>The refresh tokens still valid (a used one is replaced).</summary>
    public int LiveRefreshTokens => _refreshTokens.Count;

    private void Authorize(HttpContext context, SpotifyRequest request)
    {
        // Spotify shows its own error page (no redirect) when it cannot trust the redirect: unknown client or no redirect_uri.
        if (request["client_id"] != ClientId || !Uri.TryCreate(request["redirect_uri"], UriKind.Absolute, out var back))
        {
            context.Response.StatusCode = 400;
            return;
        }
        string Back(params (string Name, string? Value)[] parts) =>
            QueryHelpers.AddQueryString(back.ToString(), parts.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Name, p.Value)));
        if (request["response_type"] != "code") context.Response.Redirect(Back(("error", "unsupported_response_type"), ("state", request["state"])));
        else if (request["code_challenge_method"] != "S256" || string.IsNullOrEmpty(request["code_challenge"])) context.Response.Redirect(Back(("error", "invalid_request"), ("state", request["state"])));
        else if (Refuse || SignedIn is null) context.Response.Redirect(Back(("error", "access_denied"), ("state", request["state"])));
        else
        {
            _users[SignedIn.Id] = SignedIn;
            var code = "AQ" + SpotifyWorld.IdOf("code" + Interlocked.Increment(ref _userIssued)) + SpotifyWorld.IdOf("code-tail" + _userIssued);
            _codes[code] = new PendingCode(SignedIn.Id, back.ToString(), request["code_challenge"]!, request["scope"] ?? "", ClientId);
            context.Response.Redirect(Back(("code", code), ("state", request["state"])));
        }
    }

    private (int, JsonObject) CodeGrant(IFormCollection form)
    {
        if (form["client_id"] != ClientId) return (400, SpotifyAnswers.AuthError("invalid_client", "Invalid client"));
        if (!_codes.TryRemove(form["code"].ToString(), out var pending)) return (400, SpotifyAnswers.AuthError("invalid_grant", "Invalid authorization code"));
        if (form["redirect_uri"] != pending.RedirectUri) return (400, SpotifyAnswers.AuthError("invalid_grant", "Invalid redirect URI"));
        var verifier = form["code_verifier"].ToString();
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        if (verifier.Length is < 43 or > 128 || challenge != pending.Challenge) return (400, SpotifyAnswers.AuthError("invalid_grant", "code_verifier was incorrect"));
        return (200, IssuePersonal(new Grant(pending.User, pending.Scope)));
    }

    private (int, JsonObject) RefreshGrant(IFormCollection form)
    {
        if (form["client_id"] != ClientId) return (400, SpotifyAnswers.AuthError("invalid_client", "Invalid client"));
        if (!_refreshTokens.TryRemove(form["refresh_token"].ToString(), out var grant)) return (400, SpotifyAnswers.AuthError("invalid_grant", "Refresh token revoked"));
        return (200, IssuePersonal(grant));
    }

    private JsonObject IssuePersonal(Grant grant)
    {
        var n = Interlocked.Increment(ref _userIssued);
        var access = string.Create(CultureInfo.InvariantCulture, $"BQU{n:D6}{SpotifyWorld.IdOf("user-token" + n)}");
        var refresh = string.Create(CultureInfo.InvariantCulture, $"AQR{n:D6}{SpotifyWorld.IdOf("refresh" + n)}");
        _tokens[access] = true;
        _userTokens[access] = grant;
        _refreshTokens[refresh] = grant;
        var answer = SpotifyAnswers.Token(access, TokenLifetimeSeconds);
        answer["refresh_token"] = refresh;
        answer["scope"] = grant.Scope;
        return answer;
    }

    private (int, JsonObject) UserAnswer(SpotifyRequest request)
    {
        if (!_userTokens.TryGetValue(request.Token!, out var grant) || !_users.TryGetValue(grant.User, out var user))
        {
            return (401, SpotifyAnswers.Error(401, "Only valid bearer authentication supported"));
        }
        var scopes = grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (request.Route)
        {
            case "me":
                return (200, new JsonObject { ["display_name"] = user.DisplayName, ["id"] = user.Id, ["type"] = "user", ["uri"] = "spotify:user:" + user.Id });
            case "top" when !scopes.Contains("user-top-read"):
            case "saved" when !scopes.Contains("user-library-read"):
                return (403, SpotifyAnswers.Error(403, "Insufficient client scope"));
        }
        var limit = 20;
        if (request["limit"] is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 50))
        {
            return (400, SpotifyAnswers.Error(400, "Invalid limit"));
        }
        var offset = 0;
        if (request["offset"] is { } o && !int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out offset)) return (400, SpotifyAnswers.Error(400, "Invalid offset"));
        var path = request.Route == "top" ? "/me/top/tracks" : "/me/tracks";
        var all = request.Route == "top" ? user.Top : user.Saved;
        return (200, SpotifyAnswers.Paging(ApiBaseUrl + path, all, offset, limit,
            t => request.Route == "top" ? SpotifyAnswers.Track(t) : new JsonObject { ["added_at"] = "2024-05-01T12:00:00Z", ["track"] = SpotifyAnswers.Track(t) }));
    }
}
