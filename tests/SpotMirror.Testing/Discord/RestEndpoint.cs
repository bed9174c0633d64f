using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// Serves <c>/api/v10/…</c>: checks User-Agent, Authorization and Content-Type, plays a scripted
/// fault or a rate-limit refusal if one is due, runs the route, records the exchange.
/// </summary>
internal sealed partial class RestEndpoint(
    FakeDiscordOptions options,
    RestRoutes routes,
    RestFaultPlan faults,
    RateLimits limits,
    RecordedLog<DiscordRequest> requests,
    RecordedLog<DiscordUpload> uploads)
{
    private const string Prefix = "/api/v10/";

    private int _unauthorizedSent;
    private int _afterUnauthorized;

    /// <summary>Requests that arrived after the fake first answered 401; a correct client sends none.</summary>
    public int RequestsAfterUnauthorized => Volatile.Read(ref _afterUnauthorized);

    [GeneratedRegex(@"^DiscordBot \(\S+, [^)]+\)")]
    private static partial Regex UserAgentPattern();

    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        var queryAt = target.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryAt < 0 ? target : target[..queryAt];
        string body;
        IReadOnlyList<DiscordUploadedFile>? files = null;
        try
        {
            if (MultipartBodies.IsMultipart(request))
            {
                (body, files) = await MultipartBodies.ReadAsync(request, linked.Token).ConfigureAwait(false);
            }
            else
            {
                using var reader = new StreamReader(request.Body, Encoding.UTF8);
                body = await reader.ReadToEndAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return;
        }

        var (result, route, authorization) = Answer(request, rawPath, body, files);
        var headers = request.Headers
            .Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        requests.Add(new DiscordRequest(
            request.Method, rawPath, route, request.QueryString.Value ?? string.Empty, body, request.ContentType,
            headers, authorization, result?.Status ?? 0, options.Clock.GetUtcNow()));
        if (files is not null)
        {
            uploads.Add(new DiscordUpload(route, body, files, result?.Status ?? 0, options.Clock.GetUtcNow()));
        }

        if (result is null)
        {
            context.Abort();
            return;
        }

        var response = context.Response;
        response.StatusCode = result.Status;
        foreach (var (name, value) in result.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (result.Body is not null)
        {
            response.ContentType = result.ContentType;
            try
            {
                await response.WriteAsync(result.Body, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                context.Abort();
            }
        }
    }

    // Null result: abort the connection without answering.
    private (RestResult? Result, string? Route, string Authorization) Answer(HttpRequest request, string rawPath, string body, IReadOnlyList<DiscordUploadedFile>? files)
    {
        if (Volatile.Read(ref _unauthorizedSent) == 1)
        {
            Interlocked.Increment(ref _afterUnauthorized);
        }

        var authorization = request.Headers.Authorization.ToString() switch
        {
            "" => "missing",
            var given when given == "Bot " + options.Token => "valid",
            _ => "wrong",
        };
        var pathKnown = false;
        var match = rawPath.StartsWith(Prefix, StringComparison.Ordinal)
            ? RouteMatch.Find(request.Method, rawPath[(Prefix.Length - 1)..], out pathKnown)
            : null;
        if (match is null)
        {
            return (pathKnown ? RestResult.MethodNotAllowed : RestResult.NotFound, null, authorization);
        }

        var result = Run(request, match, body, files, authorization);
        if (result?.Status == 401)
        {
            Volatile.Write(ref _unauthorizedSent, 1);
        }

        return (result, match.Route, authorization);
    }

    private RestResult? Run(HttpRequest request, RouteMatch match, string body, IReadOnlyList<DiscordUploadedFile>? files, string authorization)
    {
        if (!UserAgentPattern().IsMatch(request.Headers.UserAgent.ToString()))
        {
            return RestResult.Error(400, 0, "The fake wants a User-Agent of the form \"DiscordBot ($url, $versionNumber)\".");
        }

        // Webhook and callback routes carry their credential in the path; a bot token is optional there but must be right.
        var tokenInPath = match.Values.ContainsKey("interaction_token");
        if (authorization == "wrong" || (authorization == "missing" && !tokenInPath))
        {
            return RestResult.Unauthorized;
        }

        var (headers, limited) = limits.Take(match);
        switch (faults.Take(match.Route))
        {
            case DiscordRestFault.Reset:
                return null;
            case DiscordRestFault.Answer answer:
                return answer.Result with { Headers = Merge(headers, answer.Result.Headers) };
            case DiscordRestFault.Limited { Global: true } global:
                return RateLimits.TooManyRequests(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), global.RetryAfter, global: true);
            case DiscordRestFault.Limited local:
                var exhausted = limits.Exhausted(local.Bucket ?? RateLimits.BucketOf(match.Route), local.RetryAfter);
                return RateLimits.TooManyRequests(exhausted, local.RetryAfter, global: false);
        }

        if (limited is not null)
        {
            return limited;
        }

        JsonNode? json = null;
        if (RestRoutes.TakesBody(match.Route))
        {
            if (files is null && !(request.ContentType ?? string.Empty).StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                var errors = new FormErrors();
                errors.Add(string.Empty, "CONTENT_TYPE_INVALID", "Expected \"Content-Type\" header to be one of {'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'}.");
                return errors.ToResult() with { Headers = headers };
            }

            if (!DiscordJson.TryParse(body, out json) || (json is null && body.Trim() != "null"))
            {
                return RestResult.InvalidJson with { Headers = headers };
            }

            if (files is not null && json is JsonObject withFiles && MultipartBodies.Attach(withFiles, files) is { } refused)
            {
                return refused with { Headers = headers };
            }
        }

        return routes.Run(match, request.Query, json) with { Headers = headers };
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string> first, IReadOnlyDictionary<string, string>? second)
    {
        foreach (var (name, value) in second ?? new Dictionary<string, string>())
        {
            first[name] = value;
        }

        return first;
    }
}
