using System.Globalization;
using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Mood;

/// <summary>What a mood request asks for: a named mood, or a point that free text or an emoji led to.</summary>
public sealed record MoodTarget(string Label, MoodPoint Point, NamedMood? Named);

/// <summary>A mood request resolved, or not: then the closest names to offer in a "did you mean".</summary>
public sealed record MoodResolution(MoodTarget? Target, IReadOnlyList<string> Suggestions)
{
    public bool Found => Target is not null;
}

/// <summary>Turns what a person typed after /mood (a name, a synonym, an emoji, or free words) into a target.</summary>
public sealed class MoodResolver
{
    private readonly MoodLexicon _lexicon;
    private readonly Dictionary<string, NamedMood> _byWord = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NamedMood> _byEmoji = new(StringComparer.Ordinal);

    public MoodResolver(MoodLexicon lexicon, IReadOnlyList<NamedMood> moods)
    {
        _lexicon = lexicon;
        Moods = moods;
        foreach (var mood in moods)
        {
            _byWord[mood.Name] = mood;
            foreach (var synonym in mood.Synonyms) _byWord.TryAdd(Text.Normalize(synonym), mood);
            foreach (var emoji in mood.Emoji) _byEmoji[Emoji.Strip(emoji)] = mood;
        }
    }

    public IReadOnlyList<NamedMood> Moods { get; }

    public MoodResolution Resolve(string input)
    {
        var trimmed = input.Trim();
        if (trimmed.Length == 0) return new MoodResolution(null, Moods.Select(m => m.Name).ToList());

        if (_byEmoji.TryGetValue(Emoji.Strip(trimmed), out var byEmoji)) return Named(byEmoji);
        var normalized = Text.Normalize(trimmed);
        if (_byWord.TryGetValue(normalized, out var byWord)) return Named(byWord);

        // Free text: every word or emoji the lexicon or a mood knows pulls the target toward it. Emoji are
        // read one grapheme at a time, so "😌😌" and "😌🎉" are two emoji, not one unknown word.
        float v = 0, a = 0, mass = 0;
        var named = new HashSet<NamedMood>();
        var words = 0;
        foreach (var piece in trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (_byEmoji.TryGetValue(Emoji.Strip(piece), out var emojiMood))
            {
                PullMood(emojiMood);
                continue;
            }
            var elements = StringInfo.GetTextElementEnumerator(piece);
            while (elements.MoveNext())
            {
                if (_byEmoji.TryGetValue(Emoji.Strip(elements.GetTextElement()), out var elementMood)) PullMood(elementMood);
            }
            foreach (var word in Text.Tokens(piece))
            {
                if (_lexicon.TryLookup(word, out var entry)) Pull(entry.Point, entry.Strength);
                else if (_byWord.TryGetValue(word, out var wordMood)) PullMood(wordMood);
                else continue;
                words++;
            }
        }
        // Emoji of one mood only ("😌😌") ask for that mood by name.
        if (words == 0 && named.Count == 1) return Named(named.First());
        if (mass > 0)
        {
            var point = new MoodPoint(v / mass, a / mass);
            // Emoji alone normalise to nothing; the label (a header and a reason) shows what was asked.
            var label = normalized.Length > 0 ? normalized : string.Join(' ', trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            return new MoodResolution(new MoodTarget(label, point, null), []);
        }
        return new MoodResolution(null, Suggest(normalized));

        void PullMood(NamedMood mood)
        {
            named.Add(mood);
            Pull(mood.Center, 1f);
        }

        void Pull(MoodPoint p, float strength)
        {
            v += p.Valence * strength;
            a += p.Arousal * strength;
            mass += strength;
        }
    }

    private static MoodResolution Named(NamedMood mood) =>
        new(new MoodTarget(mood.Name, mood.Center, mood), []);

    private List<string> Suggest(string word)
    {
        if (word.Length == 0) return Moods.Select(m => m.Name).ToList();
        var limit = Math.Max(2, word.Length / 3);
        return _byWord
            .Select(kv => (Mood: kv.Value.Name, Distance: Text.EditDistance(word, kv.Key)))
            .Where(x => x.Distance <= limit)
            .OrderBy(x => x.Distance)
            .Select(x => x.Mood)
            .Distinct()
            .Take(3)
            .ToList();
    }
}
