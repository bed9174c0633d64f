using System.Globalization;
using System.Security.Cryptography;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// Issues ids shaped like Discord's: milliseconds since 2015 shifted left by 22 bits, so they exceed
/// 2^53 and a client that parses them as doubles or JSON numbers loses digits.
/// </summary>
internal sealed class Snowflakes(TimeProvider clock)
{
    private static readonly DateTimeOffset DiscordEpoch = new(2015, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _gate = new();
    private ulong _last;

    public string Next()
    {
        var millis = (ulong)Math.Max(0, (long)(clock.GetUtcNow() - DiscordEpoch).TotalMilliseconds);
        lock (_gate)
        {
            // Strictly increasing even when a manual clock stands still.
            _last = Math.Max(_last + 1, millis << 22);
            return _last.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>An interaction token: URL-safe and long, like Discord's.</summary>
    public static string Token(string interactionId)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var prefix = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes("interaction:" + interactionId + ":")).TrimEnd('=');
        return prefix.Replace('+', '-').Replace('/', '_') + secret;
    }
}
