namespace SpotMirror.Telegram;

/// <summary>What Telegram accepts in a link: an http(s) address of sane length (a bad one fails the whole message).</summary>
internal static class TelegramLinks
{
    /// <summary>Telegram shows at most eight buttons a row.</summary>
    public const int MaxPerRow = 8;

    private const int MaxUrlLength = 512;

    public static bool IsUsable(string url) =>
        url.Length <= MaxUrlLength && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
