using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Http.Web;

/// <summary>The web app's routes under /web, its assets, and its own error pages (HTML, never a stack trace).</summary>
public static partial class WebEndpoints
{
    public const string Prefix = "/web";

    public static void Map(IEndpointRouteBuilder app, WebHandlers web)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(web);
        app.MapGet("/", () => Results.Redirect(Prefix)).ExcludeFromDescription();
        var pages = app.MapGroup(Prefix).ExcludeFromDescription();
        pages.MapGet("", (HttpContext c, string? mood, CancellationToken ct) => web.MoodAsync(c, mood, ct));
        pages.MapGet("/similar", (HttpContext c, string? q, CancellationToken ct) => web.SimilarAsync(c, q, ct));
        pages.MapGet("/suggest", (string? q) => web.Suggest(q));
        pages.MapGet("/for-you", (HttpContext c, CancellationToken ct) => web.ForYouAsync(c, ct));
        pages.MapGet("/profile", (HttpContext c, CancellationToken ct) => web.ProfileAsync(c, ct));
        pages.MapGet("/profile.png", (HttpContext c, CancellationToken ct) => web.PictureAsync(c, ct));
        pages.MapGet("/group", (HttpContext c, CancellationToken ct) => web.GroupAsync(c, ct));
        pages.MapGet("/export", (HttpContext c, CancellationToken ct) => web.ExportAsync(c, ct));
        pages.MapGet("/forget", (HttpContext c, CancellationToken ct) => web.ForgetPageAsync(c, ct));
        pages.MapPost("/forget", (HttpContext c, CancellationToken ct) => web.ForgetAsync(c, ct));
        pages.MapGet("/signin", (HttpContext c, string? token, string? next) => WebHandlers.SignInPage(c, token, next));
        pages.MapPost("/signin", (HttpContext c, CancellationToken ct) => web.SignInAsync(c, ct));
        pages.MapGet("/signin-help", (HttpContext c, CancellationToken ct) => web.SignInHelpAsync(c, ct));
        pages.MapPost("/signout", (HttpContext c, CancellationToken ct) => web.SignOutAsync(c, ct));
        pages.MapPost("/feedback", (HttpContext c, CancellationToken ct) => web.FeedbackAsync(c, ct));
        pages.MapPost("/reactions/take-back", (HttpContext c, CancellationToken ct) => web.TakeBackAsync(c, ct));
        pages.MapGet("/link/{service}", (HttpContext c, string service, CancellationToken ct) => web.LinkPageAsync(c, service, ct));
        pages.MapPost("/link/{service}", (HttpContext c, string service, CancellationToken ct) => web.BeginLinkAsync(c, service, ct));
        pages.MapGet("/link/{service}/callback", (HttpContext c, string service, string? code, string? state, string? error, CancellationToken ct) =>
            web.CompleteLinkAsync(c, service, code, state, error, ct));
        pages.MapGet("/assets/{name}", (string name) => WebAssets.Serve(name));
    }

    /// <summary>
    /// In front of every /web request: security headers (no framing, no script or style from elsewhere), posts
    /// from other sites refused, and any failure or unknown address answered with a page that says what to do.
    /// </summary>
    public static Func<HttpContext, RequestDelegate, Task> Guard(ILogger logger) => async (context, next) =>
    {
        if (!context.Request.Path.StartsWithSegments(Prefix))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && CrossSite(context))
        {
            await ErrorPage(context, StatusCodes.Status403Forbidden, "That request was refused", "It came from another site. Use SpotMirror's own pages.").ConfigureAwait(false);
            return;
        }
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            LogPageFailed(logger, exception, context.Request.Path);
            context.Response.Clear();
            await ErrorPage(context, StatusCodes.Status500InternalServerError, "Something went wrong on our side",
                "Nothing you did caused it, and nothing was lost. Try again in a moment.").ConfigureAwait(false);
            return;
        }
        if (context.Response.HasStarted || context.Response.ContentLength > 0 || context.Response.ContentType is not null) return;
        if (context.Response.StatusCode == StatusCodes.Status404NotFound)
        {
            await ErrorPage(context, StatusCodes.Status404NotFound, "There's no such page", "The address may be mistyped. Start from the mood page.").ConfigureAwait(false);
        }
        else if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            await ErrorPage(context, StatusCodes.Status405MethodNotAllowed, "That can't be done here", "Use the buttons on SpotMirror's pages.").ConfigureAwait(false);
        }
    };

    /// <summary>A browser says where a post came from (Origin, or failing that Referer); one from another host is refused.</summary>
    private static bool CrossSite(HttpContext context)
    {
        var source = context.Request.Headers.Origin.FirstOrDefault() ?? context.Request.Headers.Referer.FirstOrDefault();
        if (string.IsNullOrEmpty(source)) return false;
        if (source == "null" || !Uri.TryCreate(source, UriKind.Absolute, out var from)) return true;
        return !string.Equals(from.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    private static Task ErrorPage(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        var body = $"<section class=\"card narrow\"><h1>{Html.E(title)}</h1>{Html.Notice("problem", detail)}<p><a class=\"button\" href=\"/web\">Go to SpotMirror</a></p></section>";
        return context.Response.WriteAsync(Html.Page(title, "", WebVisitor.Anonymous, body), context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Web: the page {Path} failed")]
    private static partial void LogPageFailed(ILogger logger, Exception exception, string path);
}
