using System.Security.Cryptography;
using System.Text;

namespace SpotMirror.UseCases;

/// <summary>
/// Proof Key for Code Exchange (RFC 7636) with S256, and the state that binds an authorization to the person
/// who began it: random secrets in base64url (no padding), and the challenge BASE64URL(SHA256(verifier)).
/// </summary>
public static class Pkce
{
    /// <summary>A code verifier: 64 random bytes give 86 characters of [A-Za-z0-9-_], inside RFC 7636's 43-128.</summary>
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(64));

    /// <summary>A state: 256 random bits, never stored as such (only its hash).</summary>
    public static string NewState() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Challenge(string verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
    }

    /// <summary>What storage keeps of a state: its SHA-256 in hex.</summary>
    public static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    /// <summary>True for text that could be one of our states (43 base64url characters): anything else is not looked up.</summary>
    public static bool LooksLikeState(string? text) =>
        text is { Length: 43 } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
