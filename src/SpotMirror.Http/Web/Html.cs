using System.Net;
using System.Text;
using SpotMirror.Core.Ports;

namespace SpotMirror.Http.Web;

/// <summary>One request's view of who is there: the session (or none) and the CSRF token its forms carry.</summary>
public sealed record WebVisitor(WebSession? Session, string? Csrf)
{
    public static WebVisitor Anonymous { get; } = new(null, null);

    public bool SignedIn => Session is not null;
}

/// <summary>The page frame and the small pieces every page shares; every text that came from outside is encoded.</summary>
public static class Html
{
    private static readonly (string Path, string Label)[] Sections =
    [
        ("/web", "Mood"), ("/web/similar", "Similar"), ("/web/for-you", "For you"), ("/web/profile", "Profile"), ("/web/group", "Group"),
    ];

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A query-string value.</summary>
    public static string Q(string text) => Uri.EscapeDataString(text);

    public static string Page(string title, string currentPath, WebVisitor visitor, string body)
    {
        var nav = new StringBuilder();
        foreach (var (path, label) in Sections)
        {
            var current = path == currentPath ? " aria-current=\"page\"" : "";
            nav.Append($"<a href=\"{path}\"{current}>{label}</a>");
        }
        var who = visitor.Session is { } session
            ? $"""
              <span class="who-name">Signed in as <strong>{E(session.DisplayName)}</strong> <small>({E(PlatformName(session.Platform))})</small></span>
              <form method="post" action="/web/signout">{CsrfField(visitor)}<button class="link-button" type="submit">Sign out</button></form>
              """
            : """<a class="button small" href="/web/signin-help">Sign in</a>""";
        return $"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · SpotMirror</title>
            <link rel="icon" href="data:,">
            <link rel="stylesheet" href="/web/assets/site.css">
            <script src="/web/assets/site.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header class="top">
            <a class="brand" href="/web"><span aria-hidden="true">◐</span> SpotMirror</a>
            <nav aria-label="Sections">{nav}</nav>
            <div class="who">{who}</div>
            </header>
            <main id="main" tabindex="-1">
            {body}
            </main>
            <div class="toast" role="status" aria-live="polite"></div>
            <footer><p>SpotMirror learns from your reactions here and in the chat alike. <a href="/docs">API</a></p></footer>
            </body>
            </html>
            """;
    }

    public static string CsrfField(WebVisitor visitor) =>
        visitor.Csrf is { } token ? $"<input type=\"hidden\" name=\"csrf\" value=\"{E(token)}\">" : "";

    /// <summary>A notice: kind is "info", "ok" or "problem".</summary>
    public static string Notice(string kind, string title, string? detail = null) =>
        $"<div class=\"notice {kind}\" role=\"{(kind == "problem" ? "alert" : "status")}\"><p><strong>{E(title)}</strong></p>{(detail is null ? "" : $"<p>{E(detail)}</p>")}</div>";

    public static string SignInPrompt(string what) =>
        $"""
        <section class="card signin-prompt" aria-labelledby="signin-title">
        <h2 id="signin-title">Sign in to {E(what)}</h2>
        <p>Say <code>/web</code> to SpotMirror in any chat (Telegram, Discord or the console). It answers you privately with a link that signs you in here, as the same person.</p>
        </section>
        """;

    public static string PlatformName(string platform) => platform switch
    {
        "telegram" => "Telegram",
        "discord" => "Discord",
        "console" => "console",
        "http" => "API",
        "web" => "this site",
        _ => platform,
    };
}
