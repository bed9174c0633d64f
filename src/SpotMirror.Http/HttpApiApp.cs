using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;
using SpotMirror.Core.Service;
using SpotMirror.Http.Web;

namespace SpotMirror.Http;

/// <summary>
/// Builds the API's own small web application inside the worker's host: Kestrel on the configured
/// addresses, the endpoints over handlers that hold the host's singletons, problem details for every
/// error, the API-key rule, the OpenAPI document and the documentation page. Logs go to the host's loggers.
/// </summary>
public static class HttpApiApp
{
    public const string DocsPath = "/docs";
    private const long MaxBodyBytes = 64 * 1024;
    private const int MaxTargetLength = 8 * 1024;
    private const int MaxHeaderBytes = 32 * 1024;

    public const string MetricsPath = "/metrics";

    public static WebApplication Build(HttpOptions options, ApiHandlers handlers, ILoggerFactory loggerFactory, WebHandlers? web = null, Readiness? readiness = null, IReadOnlyList<PostHook>? hooks = null)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        ArgumentNullException.ThrowIfNull(options);
        var access = HttpApiKeyRule.Decide(options.ListenUrls(), options.ApiKey);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(HttpApiApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        // Only the Http options decide where it listens (not ASPNETCORE_URLS or a Kestrel section somewhere).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls([.. options.ListenUrls()]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            // Kestrel answers its own 414 and 431 with an empty body; with room above our limits, the limits
            // below answer first, with problem details (only a request past Kestrel's larger limits gets a bare status).
            kestrel.Limits.MaxRequestLineSize = 8 * MaxTargetLength;
            kestrel.Limits.MaxRequestHeadersTotalSize = 4 * MaxHeaderBytes;
        });
        // Log lines go to the host's loggers; the framework's per-request lines and its inner host's own start-up
        // error (this service reports a failed start itself, in one line) stay out.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new HostLoggers(loggerFactory));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        // The worker's host owns the process (signals, shutdown); this application starts and stops with it.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddSingleton(handlers);
        builder.Services.AddSingleton(readiness ?? handlers.Readiness([]));
        // Prometheus text at /metrics: the service's own meter beside ASP.NET Core's request duration by route.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Telemetry.MeterName, "Microsoft.AspNetCore.Hosting")
            .AddPrometheusExporter());
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // Numbers are numbers: "12" is not a track id (the web default would accept it, and the document would say so).
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = FillIn);
        builder.Services.AddOpenApi(ApiDocument.Name, ApiDocument.Configure);
        // The web app's forms are a handful of short fields; anything much bigger is refused before it is read.
        builder.Services.Configure<FormOptions>(form =>
        {
            form.ValueCountLimit = 32;
            form.KeyLengthLimit = 64;
            form.ValueLengthLimit = 4 * 1024;
            form.MultipartBodyLengthLimit = MaxBodyBytes;
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(new StoreFaults(loggerFactory.CreateLogger<StoreFaults>()).GuardAsync);
        app.Use(SizeLimits);
        app.Use(UserNames.DecodeOnce);
        if (web is not null) app.Use(WebEndpoints.Guard(loggerFactory.CreateLogger(typeof(WebEndpoints))));
        app.Use(ApiKeyGate(access, options.ApiKey));
        ApiEndpoints.Map(app);
        if (web is not null) WebEndpoints.Map(app, web);
        PostHooks.Map(app, hooks ?? []);
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapOpenApi(ApiDocument.Route);
        app.MapScalarApiReference(DocsPath, scalar =>
        {
            // Everything from this process: the page's script is embedded in the package; no fonts, telemetry or AI agent from elsewhere.
            scalar.WithTitle("SpotMirror API")
                .WithOpenApiRoutePattern(ApiDocument.Route)
                .DisableDefaultFonts()
                .DisableAgent()
                .DisableMcp();
            scalar.Telemetry = false;
        });
        return app;
    }

    /// <summary>414 for a request target (path and query) over 8 KB, 431 for headers over 32 KB together: Kestrel's defaults, as problem details.</summary>
    private static Task SizeLimits(HttpContext context, RequestDelegate next)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value + context.Request.QueryString.Value;
        if (target.Length > MaxTargetLength)
        {
            return TypedResults.Problem(
                $"The address is {target.Length:N0} characters; at most {MaxTargetLength:N0} are read. Names and moods are short: send less in the query.",
                statusCode: StatusCodes.Status414UriTooLong, title: "Address too long").ExecuteAsync(context);
        }
        long headers = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            headers += name.Length;
            foreach (var value in values) headers += value?.Length ?? 0;
        }
        if (headers > MaxHeaderBytes)
        {
            return TypedResults.Problem(
                $"The request's headers come to {headers:N0} characters; at most {MaxHeaderBytes:N0} are read. Send fewer or shorter headers.",
                statusCode: StatusCodes.Status431RequestHeaderFieldsTooLarge, title: "Headers too large").ExecuteAsync(context);
        }
        return next(context);
    }

    /// <summary>The API-key rule in front of every endpoint marked <see cref="RequiresApiKey"/>.</summary>
    private static Func<HttpContext, RequestDelegate, Task> ApiKeyGate(WriteAccess access, string? apiKey) => (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiresApiKey>() is null) return next(context);
        string? presented = context.Request.Headers[HttpApiKeyRule.Header];
        var problem = HttpApiKeyRule.Check(access, apiKey, presented) switch
        {
            KeyVerdict.Allowed => null,
            KeyVerdict.Unauthorized => TypedResults.Problem(
                $"Feedback and forget need the server's API key (Http:ApiKey) in the {HttpApiKeyRule.Header} header; it was missing or wrong.",
                statusCode: StatusCodes.Status401Unauthorized, title: "API key required"),
            _ => TypedResults.Problem(
                $"This API listens beyond loopback and no Http:ApiKey is configured, so feedback and forget are refused. Set Http:ApiKey on the server and send it in the {HttpApiKeyRule.Header} header.",
                statusCode: StatusCodes.Status403Forbidden, title: "Writes are off"),
        };
        return problem is null ? next(context) : problem.ExecuteAsync(context);
    };

    /// <summary>Errors the framework answers by itself (no route, bad method, unreadable body, a crash) get a detail sentence too.</summary>
    private static void FillIn(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Instance ??= context.HttpContext.Request.Path;
        if (problem.Detail is not null) return;
        var feedback = context.HttpContext.Request.Path.Value?.EndsWith("/feedback", StringComparison.Ordinal) == true;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType when feedback => ApiProblems.FeedbackBodyHint,
            StatusCodes.Status413PayloadTooLarge => context.HttpContext.Request.Path.Value == "/feedback"
                ? $"The body is larger than {BatchBodyLimit.MaxBytes / 1024} KB; send at most {ApiHandlers.MaxFeedbackBatch} events per batch."
                : $"The body is larger than {MaxBodyBytes / 1024} KB; feedback is one small JSON object.",
            StatusCodes.Status404NotFound => $"There is no such endpoint. The API is described at {DocsPath} and /openapi/{ApiDocument.Name}.json.",
            StatusCodes.Status405MethodNotAllowed => $"This endpoint does not take {context.HttpContext.Request.Method}. See {DocsPath}.",
            StatusCodes.Status500InternalServerError => "Something went wrong on our side; try again in a moment.",
            _ => null,
        };
    }

    /// <summary>Hands this application's log lines to the host's logger factory (which the host owns and disposes).</summary>
    private sealed class HostLoggers(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
