using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpotMirror.Chat;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.UseCases;

namespace SpotMirror.Http.Web;

/// <summary>
/// The web app's pages and actions over the same core and use cases as the chat: a ❤️ here goes through the
/// same feedback use case as a track's ❤️ button in Telegram or Discord (full weight, one track) and toggles alike.
/// </summary>
public sealed partial class WebHandlers
{
    public const string Platform = "web";
    public const string CookieName = "spotmirror_session";
    public const int ListSize = 10;

    private readonly Recommender _recommender;
    private readonly ITransactions _transactions;
    private readonly FeedbackUseCase _feedback;
    private readonly ForgetUseCase _forget;
    private readonly IWebSignInStore _signIns;
    private readonly IPersonalRecords _records;
    private readonly IAccountLinker? _linker;
    private readonly WebOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<WebHandlers> _logger;
    private readonly ListenLinker _links;
    private readonly AuthorizedLinking? _authorized;
    private readonly WebSignInLinks? _signInLinks;

    public WebHandlers(
        Recommender recommender, ITransactions transactions, FeedbackUseCase feedback, ForgetUseCase forget, IWebSignInStore signIns,
        IPersonalRecords records, IAccountLinker? linker, WebOptions options, TimeProvider clock, ILogger<WebHandlers> logger, ListenLinker? links = null,
        AuthorizedLinking? authorized = null, WebSignInLinks? signInLinks = null)
    {
        _authorized = authorized;
        _signInLinks = signInLinks;
        _links = links ?? ListenLinker.Default;
        _recommender = recommender;
        _transactions = transactions;
        _feedback = feedback;
        _forget = forget;
        _signIns = signIns;
        _records = records;
        _linker = linker;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    public static WebHandlers Create(IServiceProvider services) => new(
        services.GetRequiredService<Recommender>(), services.GetRequiredService<ITransactions>(), services.GetRequiredService<FeedbackUseCase>(), services.GetRequiredService<ForgetUseCase>(),
        services.GetRequiredService<IWebSignInStore>(), services.GetRequiredService<IPersonalRecords>(),
        services.GetService<IAccountLinker>(), services.GetRequiredService<WebOptions>(),
        services.GetRequiredService<TimeProvider>(), services.GetRequiredService<ILogger<WebHandlers>>(), services.GetService<ListenLinker>(),
        services.GetService<AuthorizedLinking>(), services.GetService<IWebSignInLinks>() as WebSignInLinks);

    /// <summary>Who is asking: the session named by the cookie, if it is live; a stale cookie (ended, expired, forgotten) is cleared.</summary>
    public async Task<WebVisitor> VisitorAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var secret = context.Request.Cookies[CookieName];
        if (secret is null) return WebVisitor.Anonymous;
        var session = WebSecrets.LooksLikeSecret(secret)
            ? await _signIns.FindSessionAsync(WebSecrets.Hash(secret), _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            : null;
        if (session is null)
        {
            context.Response.Cookies.Delete(CookieName, CookieOptions(context, null));
            return WebVisitor.Anonymous;
        }
        return new WebVisitor(session, WebSecrets.CsrfToken(secret!));
    }

    /// <summary>
    /// The gate in front of every write: signed in, and carrying this session's CSRF token (form field or
    /// X-CSRF-Token header). Null when the write may go ahead; else the page (or JSON) that says why not.
    /// </summary>
    private static IResult? RefuseWrite(HttpContext context, WebVisitor visitor, string? formToken, string what)
    {
        if (visitor.Session is null)
        {
            return Answer(context, StatusCodes.Status401Unauthorized, "Sign in first",
                $"To {what}, sign in: say /web to SpotMirror in any chat and open the link it sends you.");
        }
        var presented = formToken ?? context.Request.Headers["X-CSRF-Token"].FirstOrDefault();
        if (!WebSecrets.SameToken(visitor.Csrf!, presented))
        {
            return Answer(context, StatusCodes.Status403Forbidden, "That request was refused",
                "It did not carry this page's security token, so it may not have come from this site. Reload the page and try again.");
        }
        return null;
    }

    /// <summary>A short outcome: JSON for the page's script, a small page for a plain form post.</summary>
    private static IResult Answer(HttpContext context, int status, string title, string detail, object? extra = null)
    {
        if (WantsJson(context))
        {
            return Results.Json(new Dictionary<string, object?> { ["title"] = title, ["message"] = detail, ["data"] = extra }, statusCode: status);
        }
        return Results.Content(Html.Page(title, "", WebVisitor.Anonymous, $"<h1>{Html.E(title)}</h1>{Html.Notice(status < 400 ? "ok" : "problem", detail)}<p><a href=\"/web\">Back to SpotMirror</a></p>"),
            "text/html; charset=utf-8", statusCode: status);
    }

    private static bool WantsJson(HttpContext context) =>
        context.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);

    private CookieOptions CookieOptions(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        // Secure whenever people reach the site over HTTPS, including through a TLS proxy named by Web:PublicUrl.
        Secure = context.Request.IsHttps || _options.PublicBase()?.Scheme == Uri.UriSchemeHttps,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        Expires = expires,
        IsEssential = true,
    };

    private static IResult PageResult(string html, int status = StatusCodes.Status200OK) =>
        Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    /// <summary>A local path to go back to after a form post; anything else (another site, a scheme) becomes the start page.</summary>
    private static string LocalReturn(string? path) =>
        path is { Length: > 0 and <= 300 } && path.StartsWith("/web", StringComparison.Ordinal) && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains('\\', StringComparison.Ordinal)
            ? path
            : "/web";
}
