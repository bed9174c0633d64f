using Microsoft.Extensions.Logging;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;

namespace SpotMirror.Http.Web;

/// <summary>
/// Mints /web's one-time links: 256 random bits, stored only as a hash, single use, ten minutes. The link
/// points at Web:PublicUrl, or else at the address the API listens on. The link itself is never logged.
/// </summary>
public sealed partial class WebSignInLinks(
    IWebSignInStore store, WebOptions options, Func<IReadOnlyList<string>> listening, TimeProvider clock, ILogger<WebSignInLinks> logger) : IWebSignInLinks
{
    public const string SignInPath = "/web/signin";

    public TimeSpan Lifetime { get; } = TimeSpan.FromMinutes(10);

    public Task<Uri> IssueAsync(long userId, CancellationToken cancellationToken) => IssueAsync(userId, null, cancellationToken);

    public async Task<Uri> IssueAsync(long userId, string? onwardPath, CancellationToken cancellationToken)
    {
        var secret = WebSecrets.NewSecret();
        var now = clock.GetUtcNow();
        await store.IssueAsync(WebSecrets.Hash(secret), userId, now, now + Lifetime, cancellationToken).ConfigureAwait(false);
        LogIssued(logger, userId);
        var onward = onwardPath is null ? "" : "&next=" + Uri.EscapeDataString(onwardPath);
        return new Uri($"{BaseAddress()}{SignInPath}?token={secret}{onward}");
    }

    /// <summary>Where people reach the web app: Web:PublicUrl, else the address the API listens on (loopback for a wildcard).</summary>
    public string BaseAddress()
    {
        if (options.PublicBase() is { } configured) return configured.GetLeftPart(UriPartial.Path).TrimEnd('/');
        // A wildcard binding is reached through loopback on this machine; elsewhere, Web:PublicUrl says where.
        var addresses = listening();
        var bound = addresses.Count > 0 ? addresses[0] : HttpOptions.DefaultUrls;
        return bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal).TrimEnd('/');
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Web: a sign-in link was issued for user {UserId}")]
    private static partial void LogIssued(ILogger logger, long userId);
}
