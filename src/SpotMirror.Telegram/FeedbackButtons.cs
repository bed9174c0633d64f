using System.Diagnostics.CodeAnalysis;

namespace SpotMirror.Telegram;

/// <summary>
/// The callback data of the per-track feedback buttons: "fb:u:3" is 👍 on track 3. Short codes keep
/// the data far inside Telegram's 64-byte limit (and Discord's 100-character custom_id).
/// </summary>
public static class FeedbackButtons
{
    private const string Prefix = "fb:";

    /// <summary>The buttons under each track, in order: code, emoji, label.</summary>
    public static readonly IReadOnlyList<(char Code, string Emoji)> Kinds = [('l', "❤️"), ('u', "👍"), ('d', "👎")];

    /// <summary>The Join button under a group lobby.</summary>
    public const string JoinData = "grp:join";

    /// <summary>"fb:u:3:812": 👍 on item 3, which is track 812 (so the press counts even if the ledger lost the message).</summary>
    public static string Data(char code, int item, long trackId) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Prefix}{code}:{item}:{trackId}");

    /// <summary>Reads "fb:u:3:812", and the older "fb:u:3" (no track id) that buttons sent before carry.</summary>
    public static bool TryRead(string? data, [NotNullWhen(true)] out string? emoji, out int item, out long? trackId)
    {
        emoji = null;
        item = 0;
        trackId = null;
        if (data is null || !data.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = data[Prefix.Length..].Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length != 1) return false;
        if (!int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out item) || item < 1) return false;
        if (parts.Length == 3)
        {
            if (!long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var track)) return false;
            trackId = track;
        }
        foreach (var kind in Kinds)
        {
            if (kind.Code == parts[0][0])
            {
                emoji = kind.Emoji;
                return true;
            }
        }
        return false;
    }
}
