using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Testing.Spotify;

/// <summary>
/// A request the fake saw. Route is token, search, artists, track (/tracks/{id}) or tracks (/tracks?ids=);
/// Token is the bearer token it carried (null on the token route); Fault is the fault played on it, if any.
/// </summary>
public sealed record SpotifyRequest(string Route, IReadOnlyDictionary<string, string> Query, string? Token, bool Authorized)
{
    public string? Fault { get; init; }

    public string? this[string name] => Query.GetValueOrDefault(name);
}

/// <summary>
/// Spotify's accounts service (POST /api/token, client credentials) and the Web API routes SpotMirror reads
/// (GET /v1/search, /v1/artists?ids=, /v1/tracks/{id}, /v1/tracks?ids=) on loopback, answering from a
/// <see cref="SpotifyWorld"/> in the real JSON shapes and checking requests the way Spotify does (bearer
/// token, limit 1-50, offset at most 1,000, at most 50 ids). Records every request and plays scripted faults.
/// </summary>
public sealed partial class FakeSpotifyServer : IAsyncDisposable
{
    public const string DefaultClientId = "5f2d7c0e9a8b4c6d8e1f2a3b4c5d6e7f";
    public const string DefaultClientSecret = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly RecordedLog<SpotifyRequest> _requests = new();
    private readonly SpotifyFaultPlan _faults = new();
    private readonly ConcurrentDictionary<string, bool> _tokens = new(StringComparer.Ordinal);
    private int _issued;
    private int _disposed;

    private FakeSpotifyServer(WebApplication app, SpotifyWorld world, string clientId, string clientSecret)
    {
        _app = app;
        World = world;
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    /// <summary>"http://127.0.0.1:PORT", for Spotify:AccountsBaseUrl.</summary>
    public string AccountsBaseUrl { get; private set; } = string.Empty;

    /// <summary>"http://127.0.0.1:PORT/v1", for Spotify:ApiBaseUrl.</summary>
    public string ApiBaseUrl => AccountsBaseUrl + "/v1";

    public string ClientId { get; }

    public string ClientSecret { get; }

    public SpotifyWorld World { get; }

    /// <summary>The expires_in of the tokens it issues from now on (Spotify's is 3,600 seconds).</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Every access token issued so far, oldest first.</summary>
    public IReadOnlyList<string> IssuedTokens => [.. _tokens.Keys.OrderBy(k => k, StringComparer.Ordinal)];

    public IReadOnlyList<SpotifyRequest> Requests => _requests.Snapshot();

    public static async Task<FakeSpotifyServer> StartAsync(
        SpotifyWorld? world = null, string clientId = DefaultClientId, string clientSecret = DefaultClientSecret, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        try
        {
            var server = new FakeSpotifyServer(app, world ?? SpotifyWorld.Sample(), clientId, clientSecret);
            app.Run(server.HandleAsync);
            await app.StartAsync(ct).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            server.AccountsBaseUrl = addresses.Addresses.Single().TrimEnd('/');
            return server;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Plays the fault on the next <paramref name="times"/> requests of the route (those matching <paramref name="when"/>, if given).</summary>
    public void FailNext(string route, SpotifyFault fault, int times = 1, Func<SpotifyRequest, bool>? when = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        _faults.Add(route, fault, times, when);
    }

    public void ClearFaults() => _faults.Clear();

    public int Count(string route, Func<SpotifyRequest, bool>? where = null) =>
        Requests.Count(r => r.Route == route && (where?.Invoke(r) ?? true));

    public Task<SpotifyRequest> WaitForRequestAsync(Func<SpotifyRequest, bool> predicate, TimeSpan timeout) =>
        _requests.WaitForAsync(predicate, timeout,
            seen => $"No Spotify request matched within {timeout.TotalSeconds:0.##} s. Seen {seen.Count}: [{string.Join(", ", seen.TakeLast(20).Select(r => r.Route))}]");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var route = RouteOf(context.Request.Method, path);
        if (route is null)
        {
            await WriteJsonAsync(context, 404, SpotifyAnswers.Error(404, "Service not found")).ConfigureAwait(false);
            return;
        }
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (route == "track") query["id"] = path["/v1/tracks/".Length..];
        var token = BearerOf(context.Request);
        var authorized = token is not null && _tokens.TryGetValue(token, out var valid) && valid;
        var request = new SpotifyRequest(route, query, token, authorized);
        var fault = _faults.Take(request);
        _requests.Add(request with { Fault = fault?.GetType().Name });

        switch (fault)
        {
            case SpotifyFault.Limited limited:
                context.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await WriteJsonAsync(context, 429, SpotifyAnswers.Error(429, "API rate limit exceeded")).ConfigureAwait(false);
                return;
            case SpotifyFault.Expired:
                if (token is not null) _tokens[token] = false;
                await WriteJsonAsync(context, 401, SpotifyAnswers.Error(401, "The access token expired")).ConfigureAwait(false);
                return;
            case SpotifyFault.Server server:
                await WriteJsonAsync(context, server.Status, SpotifyAnswers.Error(server.Status, "Server error.")).ConfigureAwait(false);
                return;
            case SpotifyFault.Held:
                await HoldAsync(context).ConfigureAwait(false);
                return;
        }

        if (route == "authorize")
        {
            Authorize(context, request);
            return;
        }
        var (status, answer) = route == "token" ? await TokenAsync(context).ConfigureAwait(false) : Answer(request);
        var json = answer.ToJsonString();
        if (fault is SpotifyFault.Truncated) json = json[..(json.Length / 2)];
        await WriteAsync(context, status, json).ConfigureAwait(false);
    }

    private static string? RouteOf(string method, string path)
    {
        if (method == "POST" && path == "/api/token") return "token";
        if (method != "GET") return null;
        return path switch
        {
            "/authorize" => "authorize",
            "/v1/me" => "me",
            "/v1/me/top/tracks" => "top",
            "/v1/me/tracks" => "saved",
            "/v1/search" => "search",
            "/v1/artists" => "artists",
            "/v1/tracks" => "tracks",
            _ when path.StartsWith("/v1/tracks/", StringComparison.Ordinal) && path.Length > "/v1/tracks/".Length => "track",
            _ => null,
        };
    }

    private static string? BearerOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
    }

    /// <summary>The client-credentials grant: credentials in a Basic header (or the form), a form body, a fresh token.</summary>
    private async Task<(int, JsonObject)> TokenAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType) return (400, SpotifyAnswers.AuthError("invalid_request", "Expected a form body"));
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (form["grant_type"] == "authorization_code") return CodeGrant(form);
        if (form["grant_type"] == "refresh_token") return RefreshGrant(form);
        if (form["grant_type"] != "client_credentials") return (400, SpotifyAnswers.AuthError("unsupported_grant_type", "grant_type parameter is missing"));
        var (id, secret) = (form["client_id"].ToString(), form["client_secret"].ToString());
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            (id, secret) = colon < 0 ? (pair, "") : (pair[..colon], pair[(colon + 1)..]);
        }
        if (id != ClientId) return (400, SpotifyAnswers.AuthError("invalid_client", "Invalid client"));
        if (secret != ClientSecret) return (400, SpotifyAnswers.AuthError("invalid_client", "Invalid client secret"));
        var token = string.Create(CultureInfo.InvariantCulture, $"BQ{Interlocked.Increment(ref _issued):D6}{SpotifyWorld.IdOf("token" + _issued)}");
        _tokens[token] = true;
        return (200, SpotifyAnswers.Token(token, TokenLifetimeSeconds));
    }

    private (int, JsonObject) Answer(SpotifyRequest request)
    {
        if (request.Token is null) return (401, SpotifyAnswers.Error(401, "No token provided"));
        if (!request.Authorized)
        {
            return _tokens.ContainsKey(request.Token)
                ? (401, SpotifyAnswers.Error(401, "The access token expired"))
                : (401, SpotifyAnswers.Error(401, "Invalid access token"));
        }
        switch (request.Route)
        {
            case "me" or "top" or "saved":
                return UserAnswer(request);
            case "search":
                return Search(request);
            case "artists":
                return Ids(request) is { } artistIds ? (200, SpotifyAnswers.Artists(artistIds.Select(World.Artist))) : TooManyIds;
            case "tracks":
                return Ids(request) is { } trackIds ? (200, SpotifyAnswers.Tracks(trackIds.Select(World.Track))) : TooManyIds;
            default:
                return World.Track(request["id"]!) is { } track ? (200, SpotifyAnswers.Track(track)) : (404, SpotifyAnswers.Error(404, "Non existing id"));
        }
    }

    private (int, JsonObject) Search(SpotifyRequest request)
    {
        var q = request["q"];
        if (string.IsNullOrWhiteSpace(q)) return (400, SpotifyAnswers.Error(400, "No search query"));
        if (request["type"] is not { } type || !type.Split(',').Contains("track")) return (400, SpotifyAnswers.Error(400, "Missing parameter type"));
        var limit = 20;
        if (request["limit"] is { } l && (!int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > 50))
        {
            return (400, SpotifyAnswers.Error(400, "Invalid limit"));
        }
        var offset = 0;
        if (request["offset"] is { } o && (!int.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset > 1000))
        {
            return (400, SpotifyAnswers.Error(400, "Invalid offset"));
        }
        return (200, SpotifyAnswers.SearchPage(ApiBaseUrl, q, World.Search(q), offset, limit, request["market"]));
    }

    /// <summary>The ids parameter split on commas; null when it names more than 50.</summary>
    private static string[]? Ids(SpotifyRequest request)
    {
        var ids = (request["ids"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ids.Length > 50 ? null : ids;
    }

    private static (int, JsonObject) TooManyIds => (400, SpotifyAnswers.Error(400, "Too many ids requested"));

    private async Task HoldAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (or the fake is stopping): there is nobody left to answer.
        }
    }

    private static Task WriteJsonAsync(HttpContext context, int status, JsonObject body) => WriteAsync(context, status, body.ToJsonString());

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
