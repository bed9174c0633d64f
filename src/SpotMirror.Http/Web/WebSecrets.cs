using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SpotMirror.Http.Web;

/// <summary>Random secrets for links and cookies (256 bits), their stored hashes, and the CSRF token bound to a session.</summary>
public static class WebSecrets
{
    public const int SecretBytes = 32;

    /// <summary>The base64url text of 32 random bytes: what goes in a link or a cookie.</summary>
    public static string NewSecret() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>True when the text could be one of our secrets (checked before any lookup, so junk never reaches storage).</summary>
    public static bool LooksLikeSecret(string? text)
    {
        if (text is null || text.Length != 43) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_')) return false;
        }
        return true;
    }

    /// <summary>What storage keeps instead of the secret: its SHA-256, in hex.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>
    /// The CSRF token of a session: an HMAC of a fixed label keyed by the session secret, so it needs no storage,
    /// differs per session, and cannot be derived by anyone who lacks the (HttpOnly) cookie.
    /// </summary>
    public static string CsrfToken(string sessionSecret) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(sessionSecret), "spotmirror-csrf"u8));

    public static bool SameToken(string expected, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
