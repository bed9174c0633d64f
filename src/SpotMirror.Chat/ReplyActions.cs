using System.Text;

namespace SpotMirror.Chat;

/// <summary>
/// The codes of reply buttons, the same on every platform: "mood:chill" runs /mood chill for whoever
/// presses it; "more:42" brings the next page of a list (42 is the asker's platform user id, a hint that
/// lets an adapter answer others privately before the ledger is read). Every code fits Telegram's 64-byte
/// callback_data, and so Discord's 100-character custom_id too.
/// </summary>
public static class ReplyActions
{
    public const int MaxBytes = 64;
    private const string MoodPrefix = "mood:";
    private const string MorePrefix = "more";

    public enum Kind
    {
        Mood,
        More,
    }

    /// <summary>The button code that runs /mood NAME; null when the name would not fit.</summary>
    public static string? Mood(string name)
    {
        var code = MoodPrefix + name;
        return Fits(code) && name.Length > 0 ? code : null;
    }

    public static string More(string ownerPlatformUserId)
    {
        var code = $"{MorePrefix}:{ownerPlatformUserId}";
        return Fits(code) ? code : MorePrefix;
    }

    public static bool Fits(string code) => Encoding.UTF8.GetByteCount(code) is > 0 and <= MaxBytes;

    /// <summary>Reads a button code: the kind, and its argument (the mood; the owner hint, or "" without one).</summary>
    public static bool TryRead(string? code, out Kind kind, out string argument)
    {
        (kind, argument) = (Kind.Mood, "");
        if (code is null) return false;
        if (code.StartsWith(MoodPrefix, StringComparison.Ordinal) && code.Length > MoodPrefix.Length)
        {
            argument = code[MoodPrefix.Length..];
            return true;
        }
        if (code == MorePrefix || code.StartsWith(MorePrefix + ":", StringComparison.Ordinal))
        {
            kind = Kind.More;
            argument = code.Length > MorePrefix.Length ? code[(MorePrefix.Length + 1)..] : "";
            return true;
        }
        return false;
    }

    /// <summary>True when the code is a More whose owner hint names someone else than this platform user.</summary>
    public static bool IsSomeoneElsesMore(string? code, string platformUserId) =>
        TryRead(code, out var kind, out var owner) && kind == Kind.More && owner.Length > 0 && owner != platformUserId;
}
