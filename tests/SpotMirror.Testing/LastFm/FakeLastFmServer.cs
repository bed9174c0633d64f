using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Testing.LastFm;

/// <summary>A request the fake saw: the method, its parameters (api_key and format left out) and whether the key was the fake's.</summary>
public sealed record LastFmRequest(string Method, IReadOnlyDictionary<string, string> Parameters, bool KeyAccepted)
{
    /// <summary>The fault played on it, if any (its record name: Error, Html, Truncated, Held).</summary>
    public string? Fault { get; init; }

    public string? this[string name] => Parameters.GetValueOrDefault(name);

    public bool Is(string method) => Method.Equals(method, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Last.fm's API root (GET /2.0/?method=...&amp;api_key=...&amp;format=json) on loopback, answering from a
/// <see cref="LastFmWorld"/> in Last.fm's real JSON shapes: tag.getTopTracks, track.getInfo, track.getTopTags,
/// track.search, track.getSimilar, user.getTopTracks and user.getLovedTracks. Records every request and plays
/// scripted faults.
/// </summary>
public sealed class FakeLastFmServer : IAsyncDisposable
{
    /// <summary>The key the fake accepts unless told otherwise: 32 hex digits, shaped like a real one.</summary>
    public const string DefaultKey = "0123456789abcdef0123456789abcdef";

    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly RecordedLog<LastFmRequest> _requests = new();
    private readonly LastFmFaultPlan _faults = new();
    private int _disposed;

    private FakeLastFmServer(WebApplication app, LastFmWorld world, string apiKey)
    {
        _app = app;
        World = world;
        ApiKey = apiKey;
    }

    /// <summary>"http://127.0.0.1:PORT/2.0/", for LastFm:BaseUrl.</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public string ApiKey { get; }

    public LastFmWorld World { get; }

    public IReadOnlyList<LastFmRequest> Requests => _requests.Snapshot();

    public static async Task<FakeLastFmServer> StartAsync(LastFmWorld? world = null, string apiKey = DefaultKey, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        try
        {
            var server = new FakeLastFmServer(app, world ?? LastFmWorld.Sample(), apiKey);
            app.Run(server.HandleAsync);
            await app.StartAsync(ct).ConfigureAwait(false);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
                ?? throw new InvalidOperationException("Kestrel reported no listening address.");
            server.BaseUrl = addresses.Addresses.Single().TrimEnd('/') + "/2.0/";
            return server;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Plays the fault on the next <paramref name="times"/> requests of the method (those matching <paramref name="when"/>, if given).</summary>
    public void FailNext(string method, LastFmFault fault, int times = 1, Func<LastFmRequest, bool>? when = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        _faults.Add(method, fault, times, when);
    }

    /// <summary>Drops every fault not yet played: Last.fm is well again.</summary>
    public void ClearFaults() => _faults.Clear();

    public int Count(string method, Func<LastFmRequest, bool>? where = null) =>
        Requests.Count(r => r.Is(method) && (where?.Invoke(r) ?? true));

    /// <summary>Waits for a request without sleeping (e.g. the one a Slow fault is holding).</summary>
    public Task<LastFmRequest> WaitForRequestAsync(Func<LastFmRequest, bool> predicate, TimeSpan timeout) =>
        _requests.WaitForAsync(predicate, timeout,
            seen => $"No Last.fm request matched within {timeout.TotalSeconds:0.##} s. Seen {seen.Count}: [{string.Join(", ", seen.TakeLast(20).Select(r => r.Method))}]");

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
        if (path.TrimEnd('/') != "/2.0")
        {
            await WriteAsync(context, 404, "<html><body>Not Found</body></html>", "text/html").ConfigureAwait(false);
            return;
        }
        var query = context.Request.Query;
        var parameters = query.Where(q => q.Key is not ("api_key" or "format")).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var request = new LastFmRequest(query["method"].ToString(), parameters, query["api_key"] == ApiKey);
        var fault = _faults.Take(request);
        _requests.Add(request with { Fault = fault?.GetType().Name });

        switch (fault)
        {
            case LastFmFault.Error error:
                await WriteJsonAsync(context, StatusOf(error.Code), LastFmAnswers.Error(error.Code, error.Message)).ConfigureAwait(false);
                return;
            case LastFmFault.Html html:
                await WriteAsync(context, html.Status, $"<html><body><h1>{html.Status} Internal Server Error</h1></body></html>", "text/html").ConfigureAwait(false);
                return;
            case LastFmFault.Held:
                await HoldAsync(context).ConfigureAwait(false);
                return;
        }

        var (status, answer) = request.KeyAccepted
            ? Answer(request)
            : (403, LastFmAnswers.Error(10, "Invalid API key - You must be granted a valid key by last.fm"));
        var json = answer.ToJsonString();
        if (fault is LastFmFault.Truncated) json = json[..(json.Length / 2)];
        await WriteAsync(context, status, json, "application/json").ConfigureAwait(false);
    }

    private (int Status, JsonObject Answer) Answer(LastFmRequest request)
    {
        var limit = int.TryParse(request["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 1000) : 50;
        switch (request.Method.ToLowerInvariant())
        {
            case "tag.gettoptracks":
                return request["tag"] is { Length: > 0 } tag
                    ? (200, LastFmAnswers.TagTopTracks(tag, World.TopOfTag(tag, limit), limit))
                    : (400, LastFmAnswers.Error(6, "Invalid parameters - Your request is missing a required parameter"));
            case "track.getinfo":
                return World.Find(request["artist"], request["track"]) is { } info ? (200, LastFmAnswers.TrackInfo(info)) : TrackNotFound;
            case "track.gettoptags":
                return World.Find(request["artist"], request["track"]) is { } tagged ? (200, LastFmAnswers.TopTags(tagged)) : TrackNotFound;
            case "track.search":
                var q = request["track"] ?? "";
                return (200, LastFmAnswers.Search(q, World.Search(q, limit)));
            case "track.getsimilar":
                return World.Find(request["artist"], request["track"]) is { } seed ? (200, LastFmAnswers.Similar(seed, World.Similar(seed, limit))) : TrackNotFound;
            case "user.gettoptracks":
                return World.User(request["user"]) is { } top ? (200, LastFmAnswers.UserTopTracks(top, limit)) : UserNotFound;
            case "user.getlovedtracks":
                return World.User(request["user"]) is { } loved ? (200, LastFmAnswers.UserLovedTracks(loved, limit)) : UserNotFound;
            default:
                return (400, LastFmAnswers.Error(3, "Invalid Method - No method with that name in this package"));
        }
    }

    private static (int, JsonObject) TrackNotFound => (404, LastFmAnswers.Error(6, "Track not found"));

    private static (int, JsonObject) UserNotFound => (404, LastFmAnswers.Error(6, "User not found"));

    /// <summary>The status the fake pairs with an error code; the client must read the code from the body whatever the status.</summary>
    private static int StatusOf(int code) => code switch
    {
        6 => 404,
        10 or 26 or 4 => 403,
        29 => 429,
        8 or 11 or 16 => 503,
        _ => 400,
    };

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

    private static Task WriteJsonAsync(HttpContext context, int status, JsonObject body) =>
        WriteAsync(context, status, body.ToJsonString(), "application/json");

    private static async Task WriteAsync(HttpContext context, int status, string body, string contentType)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType + "; charset=utf-8";
        await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
