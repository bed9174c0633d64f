using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace SpotMirror.Http;

/// <summary>Who may call the write endpoints (feedback, forget).</summary>
public enum WriteAccess
{
    /// <summary>Bound to loopback only and no key configured: only this machine can reach the API.</summary>
    Open,
    /// <summary>A key is configured: every write must present it, wherever the API listens.</summary>
    KeyRequired,
    /// <summary>Reachable beyond loopback with no key configured: writes are refused until Http:ApiKey is set.</summary>
    Refused,
}

/// <summary>What a write request gets: let through, 401 (no or wrong key), or 403 (writes refused).</summary>
public enum KeyVerdict
{
    Allowed,
    Unauthorized,
    Forbidden,
}

/// <summary>The API-key rule as pure functions, so the whole table is tested without binding a public address.</summary>
public static class HttpApiKeyRule
{
    public const string Header = "X-Api-Key";

    public static WriteAccess Decide(IEnumerable<string> urls, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(urls);
        if (!string.IsNullOrWhiteSpace(apiKey)) return WriteAccess.KeyRequired;
        return urls.All(IsLoopback) ? WriteAccess.Open : WriteAccess.Refused;
    }

    /// <summary>
    /// True when the address accepts connections from this machine only: localhost, 127.0.0.0/8 or ::1.
    /// A wildcard (*, +, 0.0.0.0, [::]), a host name or a pipe counts as reachable from elsewhere.
    /// </summary>
    public static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }
        if (address.IsUnixPipe || address.IsNamedPipe) return false;
        var host = address.Host.Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    public static KeyVerdict Check(WriteAccess access, string? configuredKey, string? presentedKey) => access switch
    {
        WriteAccess.Open => KeyVerdict.Allowed,
        WriteAccess.KeyRequired when configuredKey is not null && presentedKey is not null && SameKey(configuredKey.Trim(), presentedKey.Trim()) => KeyVerdict.Allowed,
        WriteAccess.KeyRequired => KeyVerdict.Unauthorized,
        _ => KeyVerdict.Forbidden,
    };

    /// <summary>Compares hashes in constant time, so neither the content nor the length of the key leaks through timing.</summary>
    private static bool SameKey(string expected, string presented) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)),
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
