using SpotMirror.Core.Catalog;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Chat;

/// <summary>What a reaction means: a signal, and the one item it is about when it names one (a keycap).</summary>
public readonly record struct ReactionMeaning(FeedbackSignal Signal, int? Item);

/// <summary>Emoji to feedback: 👍 🔥 like, ❤️ love, 👎 dislike, ⏭️ skip, a keycap 1️⃣-🔟 likes that item.</summary>
public static class ReactionVocabulary
{
    private static readonly Dictionary<string, FeedbackSignal> Signals = new(StringComparer.Ordinal)
    {
        [Emoji.Strip("👍")] = FeedbackSignal.Like,
        [Emoji.Strip("🔥")] = FeedbackSignal.Like,
        [Emoji.Strip("❤️")] = FeedbackSignal.Love,
        [Emoji.Strip("👎")] = FeedbackSignal.Dislike,
        [Emoji.Strip("⏭️")] = FeedbackSignal.Skip,
    };

    /// <summary>The emoji a platform may offer as seed reactions or buttons, in display order.</summary>
    public static readonly IReadOnlyList<string> Offered = ["👍", "❤️", "🔥", "👎", "⏭️"];

    public static bool TryInterpret(string emoji, out ReactionMeaning meaning)
    {
        var key = Emoji.Strip(emoji);
        // Skin-tone modifiers (U+1F3FB..U+1F3FF) do not change what a thumbs-up means.
        if (key.Length > 2 && char.IsSurrogatePair(key, key.Length - 2) && char.ConvertToUtf32(key, key.Length - 2) is >= 0x1F3FB and <= 0x1F3FF)
        {
            key = key[..^2];
        }
        if (Signals.TryGetValue(key, out var signal))
        {
            meaning = new ReactionMeaning(signal, null);
            return true;
        }
        if (Keycap(key) is { } item)
        {
            meaning = new ReactionMeaning(FeedbackSignal.Like, item);
            return true;
        }
        meaning = default;
        return false;
    }

    /// <summary>1️⃣ to 9️⃣ (digit + U+20E3) and 🔟 (U+1F51F): the item number.</summary>
    private static int? Keycap(string key)
    {
        if (key.Length == 2 && key[1] == '\u20E3' && key[0] is >= '1' and <= '9') return key[0] - '0';
        if (key == "\U0001F51F") return 10;
        return null;
    }
}
