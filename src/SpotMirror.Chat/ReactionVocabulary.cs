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

    /// <summary>The signal's own emoji, the one key every emoji of that meaning is stored under.</summary>
    private static readonly Dictionary<FeedbackSignal, string> Canonical = new()
    {
        [FeedbackSignal.Like] = Emoji.Strip("👍"),
        [FeedbackSignal.Love] = Emoji.Strip("❤️"),
        [FeedbackSignal.Dislike] = Emoji.Strip("👎"),
        [FeedbackSignal.Skip] = Emoji.Strip("⏭️"),
    };

    public static bool TryInterpret(string emoji, out ReactionMeaning meaning)
    {
        var key = Fold(emoji);
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

    /// <summary>
    /// The key a reaction is stored (and later taken back) under: one per meaning, so 👍, 👍🏿 and 🔥 on one
    /// track by one person are one like, and removing any of them takes that like back. A keycap keeps its
    /// own key (it names an item); an emoji that means nothing is only folded.
    /// </summary>
    public static string Key(string emoji)
    {
        var folded = Fold(emoji);
        return Signals.TryGetValue(folded, out var signal) ? Canonical[signal] : folded;
    }

    /// <summary>Without variation selectors and without a skin-tone modifier (U+1F3FB..U+1F3FF), which do not change the meaning.</summary>
    private static string Fold(string emoji)
    {
        var key = Emoji.Strip(emoji);
        if (key.Length > 2 && char.IsSurrogatePair(key, key.Length - 2) && char.ConvertToUtf32(key, key.Length - 2) is >= 0x1F3FB and <= 0x1F3FF)
        {
            key = key[..^2];
        }
        return key;
    }

    /// <summary>1️⃣ to 9️⃣ (digit + U+20E3) and 🔟 (U+1F51F): the item number.</summary>
    private static int? Keycap(string key)
    {
        if (key.Length == 2 && key[1] == '\u20E3' && key[0] is >= '1' and <= '9') return key[0] - '0';
        if (key == "\U0001F51F") return 10;
        return null;
    }
}
