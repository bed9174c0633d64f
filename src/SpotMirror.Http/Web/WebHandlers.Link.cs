using Microsoft.AspNetCore.Http;
using SpotMirror.Core.Ports;
using SpotMirror.UseCases;

namespace SpotMirror.Http.Web;

/// <summary>
/// /link for a service a person authorizes (Spotify): a page whose button (a post with this session's CSRF
/// token) begins the authorization and sends the browser to the service; the service sends it back to the
/// callback, which completes it for the person signed in, and only for the person who began it.
/// </summary>
public sealed partial class WebHandlers
{
    public async Task<IResult> LinkPageAsync(HttpContext context, string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (_authorized?.Find(service) is not { } provider) return NoSuchLink(service);
        var name = Html.E(provider.DisplayName);
        if (visitor.Session is null)
        {
            return PageResult(Html.Page($"Link {provider.DisplayName}", "", visitor, $"<h1>Link {name}</h1>" + Html.SignInPrompt($"link {provider.DisplayName}")));
        }
        // The button's post is answered with a redirect to the service: the page must allow its form to go there.
        var origin = provider.AuthorizeUri("state", "challenge", RedirectUri(provider.Name)).GetLeftPart(UriPartial.Authority);
        context.Response.Headers.ContentSecurityPolicy = context.Response.Headers.ContentSecurityPolicy.ToString()
            .Replace("form-action 'self'", $"form-action 'self' {origin}", StringComparison.Ordinal);
        var body = $"""
            <section class="card narrow" aria-labelledby="link-title">
            <h1 id="link-title">Link {name}</h1>
            <p>{name} will ask you to let SpotMirror read your top tracks and your saved tracks (nothing else, and it cannot change anything there).
            They become a first guess at your taste, counting for less than your reactions; /unlink {Html.E(provider.Name)} in the chat takes them back.</p>
            <form method="post" action="/web/link/{Html.E(provider.Name)}">{Html.CsrfField(visitor)}
            <button class="button" type="submit">Continue to {name}</button></form>
            </section>
            """;
        return PageResult(Html.Page($"Link {provider.DisplayName}", "", visitor, body));
    }

    public async Task<IResult> BeginLinkAsync(HttpContext context, string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (form, status) = await ReadFormAsync(context, cancellationToken).ConfigureAwait(false);
        if (form is null) return BadForm(context, status);
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (RefuseWrite(context, visitor, form["csrf"], "link an account") is { } refused) return refused;
        if (_authorized?.Find(service) is not { } provider) return NoSuchLink(service);
        var authorize = await _authorized.BeginAsync(visitor.Session!.UserId, provider.Name, RedirectUri(provider.Name), cancellationToken).ConfigureAwait(false);
        return authorize is null ? NoSuchLink(service) : Results.Redirect(authorize.ToString());
    }

    public async Task<IResult> CompleteLinkAsync(HttpContext context, string service, string? code, string? state, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The code is in this page's address: no referrer may carry it on.
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (_authorized?.Find(service) is not { } provider) return NoSuchLink(service);
        if (visitor.Session is not { } session)
        {
            return LinkOutcome(visitor, StatusCodes.Status401Unauthorized, "Sign in first",
                $"This page finishes linking {provider.DisplayName} for whoever is signed in here, and nobody is. Say /link {provider.Name} in the chat and open the link it sends you.");
        }
        var result = await _authorized.CompleteAsync(session.UserId, provider.Name, state, code, error, RedirectUri(provider.Name), cancellationToken).ConfigureAwait(false);
        var again = $"Say /link {provider.Name} in the chat for a fresh link.";
        return result.Outcome switch
        {
            AuthorizationOutcome.Linked when result.Link is { Status: LinkStatus.Linked } link => LinkOutcome(visitor, StatusCodes.Status200OK,
                $"{provider.DisplayName} is linked",
                $"{link.Imported} track(s) from {provider.DisplayName} account {link.Account} ({link.TopTracks} top, {link.LovedTracks} saved) are now a first guess at your taste. /unlink {provider.Name} takes them back.", ok: true),
            AuthorizationOutcome.Linked => LinkOutcome(visitor, StatusCodes.Status200OK, $"{provider.DisplayName} is linked",
                $"Your {provider.DisplayName} account has no top or saved tracks yet, so there was nothing to import.", ok: true),
            AuthorizationOutcome.Expired => LinkOutcome(visitor, StatusCodes.Status410Gone, "That took too long", $"Linking has to be finished within ten minutes. {again}"),
            AuthorizationOutcome.OtherPerson => LinkOutcome(visitor, StatusCodes.Status403Forbidden, "This link was started by someone else",
                $"It can only finish for the person who asked for it in the chat. {again}"),
            AuthorizationOutcome.Refused => LinkOutcome(visitor, StatusCodes.Status400BadRequest, "Nothing was linked",
                error is "access_denied" ? $"You said no at {provider.DisplayName}, so nothing was imported." : $"{provider.DisplayName} did not accept the request. {again}"),
            AuthorizationOutcome.Unavailable => LinkOutcome(visitor, StatusCodes.Status502BadGateway, $"{provider.DisplayName} isn't answering properly",
                $"Nothing was imported. Please try again in a few minutes. {again}"),
            _ => LinkOutcome(visitor, StatusCodes.Status400BadRequest, "This link doesn't work", $"It may have been used already, or not come from SpotMirror. {again}"),
        };
    }

    /// <summary>The callback address the service sends people back to: the one to register with it.</summary>
    private Uri RedirectUri(string provider) =>
        new($"{_options.PublicBase()?.GetLeftPart(UriPartial.Path).TrimEnd('/') ?? _signInLinks?.BaseAddress() ?? ""}/web/link/{Uri.EscapeDataString(provider)}/callback");

    private static IResult NoSuchLink(string service) =>
        PageResult(Html.Page("Not available", "", WebVisitor.Anonymous,
            $"<section class=\"card narrow\"><h1>Not available</h1>{Html.Notice("problem", $"This SpotMirror can't link {service} accounts through the web.")}<p><a class=\"button\" href=\"/web\">Go to SpotMirror</a></p></section>"),
            StatusCodes.Status404NotFound);

    private static IResult LinkOutcome(WebVisitor visitor, int status, string title, string detail, bool ok = false) =>
        PageResult(Html.Page(title, "", visitor,
            $"<section class=\"card narrow\"><h1>{Html.E(title)}</h1>{Html.Notice(ok ? "ok" : "problem", detail)}<p><a class=\"button\" href=\"/web/profile\">Your profile</a></p></section>"), status);
}
