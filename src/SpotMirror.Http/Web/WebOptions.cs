namespace SpotMirror.Http.Web;

/// <summary>The web app (section "Web"), served by the HTTP API's Kestrel under /web.</summary>
public sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>
    /// Where people reach the web app, e.g. https://music.example.org (a reverse proxy in front); sign-in links
    /// point there. Empty: the address the API listens on, which only works on this machine.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>How long a browser stays signed in.</summary>
    public int SessionDays { get; set; } = 30;

    /// <summary>The public base address, or null when none is set.</summary>
    public Uri? PublicBase() =>
        Uri.TryCreate(PublicUrl?.Trim().TrimEnd('/'), UriKind.Absolute, out var uri) ? uri : null;
}
