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

    public static string Data(char code, int item) => $"{Prefix}{code}:{item}";

    public static bool TryRead(string? data, [NotNullWhen(true)] out string? emoji, out int item)
    {
        emoji = null;
        item = 0;
        if (data is null || !data.StartsWith(Prefix, StringComparison.Ordinal) || data.Length < Prefix.Length + 3 || data[Prefix.Length + 1] != ':')
        {
            return false;
        }
        var code = data[Prefix.Length];
        if (!int.TryParse(data.AsSpan(Prefix.Length + 2), System.Globalization.NumberStyles.None, null, out item) || item < 1) return false;
        foreach (var kind in Kinds)
        {
            if (kind.Code == code)
            {
                emoji = kind.Emoji;
                return true;
            }
        }
        return false;
    }
}
