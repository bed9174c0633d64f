using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpotMirror.Core.Ports;

namespace SpotMirror.Http.Web;

public sealed partial class WebHandlers
{
    /// <summary>
    /// Opening a link shows a page that posts the token back (at once, by script; or by its button). Link
    /// previewers fetch pages but never post, so a chat's preview cannot spend the link before its person does.
    /// </summary>
    public static IResult SignInPage(HttpContext context, string? token, string? next = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The token is in this page's address: no referrer may carry it to another site ("no-referrer" would also blank the Origin of our own post).
        context.Response.Headers["Referrer-Policy"] = "same-origin";
        if (!WebSecrets.LooksLikeSecret(token)) return Refused(SignInRedemption.Unknown);
        var body = $"""
            <section class="card narrow" aria-labelledby="signin-title">
            <h1 id="signin-title">Signing you in…</h1>
            <form method="post" action="{WebSignInLinks.SignInPath}" data-autosubmit>
            <input type="hidden" name="token" value="{Html.E(token)}">{(next is null ? "" : $"<input type=\"hidden\" name=\"next\" value=\"{Html.E(LocalReturn(next))}\">")}
            <p>This link signs you in to SpotMirror as the person who asked for it in the chat.</p>
            <button class="button" type="submit">Continue</button>
            </form>
            </section>
            """;
        return PageResult(Html.Page("Sign in", "", WebVisitor.Anonymous, body));
    }

    public async Task<IResult> SignInAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers["Referrer-Policy"] = "same-origin";
        var (form, status) = await ReadFormAsync(context, cancellationToken).ConfigureAwait(false);
        if (form is null) return BadForm(context, status);
        string? token = form["token"];
        if (!WebSecrets.LooksLikeSecret(token)) return Refused(SignInRedemption.Unknown);

        var session = WebSecrets.NewSecret();
        var now = _clock.GetUtcNow();
        var expires = now.AddDays(_options.SessionDays);
        var (outcome, userId) = await _signIns.RedeemAsync(WebSecrets.Hash(token!), WebSecrets.Hash(session), now, expires, cancellationToken).ConfigureAwait(false);
        if (outcome != SignInRedemption.SignedIn) return Refused(outcome);

        context.Response.Cookies.Append(CookieName, session, CookieOptions(context, expires));
        LogSignedIn(_logger, userId!.Value);
        // Only a local /web path is followed, so a link cannot be turned into a redirect to another site.
        return Results.Redirect(form["next"].FirstOrDefault() is { } next ? LocalReturn(next) : "/web/profile?welcome=1");
    }

    public async Task<IResult> SignOutAsync(HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (form, status) = await ReadFormAsync(context, cancellationToken).ConfigureAwait(false);
        if (form is null) return BadForm(context, status);
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (visitor.Session is null) return Results.Redirect("/web");
        if (RefuseWrite(context, visitor, form["csrf"], "sign out") is { } refused) return refused;
        await _signIns.EndSessionAsync(WebSecrets.Hash(context.Request.Cookies[CookieName]!), cancellationToken).ConfigureAwait(false);
        context.Response.Cookies.Delete(CookieName, CookieOptions(context, null));
        return Results.Redirect("/web?signedout=1");
    }

    public async Task<IResult> SignInHelpAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        var body = visitor.SignedIn
            ? Html.Notice("ok", "You are signed in.", "Your profile, reactions and picks follow you between the chat and this site.")
            : Html.SignInPrompt("SpotMirror") +
              """
              <section class="card"><h2>Why no password?</h2>
              <p>You already have an account: your chat. The link works once, for ten minutes, and only for whoever asked for it.
              Anyone can pick a mood and browse without signing in; reactions and your profile need it.</p></section>
              """;
        return PageResult(Html.Page("Sign in", "", visitor, $"<h1>Sign in</h1>{body}"));
    }

    private static IResult Refused(SignInRedemption outcome)
    {
        var (status, title, detail) = outcome switch
        {
            SignInRedemption.Used => (StatusCodes.Status410Gone, "This link was used already",
                "Each sign-in link works once. Say /web in the chat again for a fresh one."),
            SignInRedemption.Expired => (StatusCodes.Status410Gone, "This link has expired",
                "Sign-in links work for ten minutes. Say /web in the chat again for a fresh one."),
            _ => (StatusCodes.Status400BadRequest, "This link doesn't work",
                "It may be incomplete (copy the whole link) or not from SpotMirror. Say /web in the chat for a fresh one."),
        };
        var body = $"<section class=\"card narrow\"><h1>{Html.E(title)}</h1>{Html.Notice("problem", detail)}<p><a class=\"button\" href=\"/web\">Browse without signing in</a></p></section>";
        return PageResult(Html.Page(title, "", WebVisitor.Anonymous, body), status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Web: user {UserId} signed in with a one-time link")]
    private static partial void LogSignedIn(ILogger logger, long userId);
}
