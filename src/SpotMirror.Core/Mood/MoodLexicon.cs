using System.Runtime.InteropServices;
using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Mood;

/// <summary>Maps tags and free-text words to points on the valence/arousal plane.</summary>
public sealed class MoodLexicon
{
    private readonly Dictionary<string, LexiconEntry> _entries;

    public MoodLexicon(IEnumerable<KeyValuePair<string, LexiconEntry>> entries)
    {
        _entries = new Dictionary<string, LexiconEntry>(StringComparer.Ordinal);
        foreach (var (word, entry) in entries) _entries[Text.Normalize(word)] = entry;
    }

    public int Count => _entries.Count;

    /// <summary>
    /// Evidence (in tag-weight units) for "neutral" that every estimate starts from: a track known by
    /// little lands near the middle of the plane instead of at the extreme its one tag names.
    /// </summary>
    public float PriorMass { get; init; }

    /// <summary>The whole tag when the lexicon knows it ("feel good"), else the mean of its known words ("sad songs").</summary>
    public bool TryLookup(string tagOrPhrase, out LexiconEntry entry)
    {
        var key = Text.Normalize(tagOrPhrase);
        if (_entries.TryGetValue(key, out entry)) return true;
        float v = 0, a = 0, s = 0;
        var known = 0;
        foreach (var word in key.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!_entries.TryGetValue(word, out var e)) continue;
            v += e.Point.Valence * e.Strength;
            a += e.Point.Arousal * e.Strength;
            s += e.Strength;
            known++;
        }
        if (known == 0 || s <= 0)
        {
            entry = default;
            return false;
        }
        entry = new LexiconEntry(new MoodPoint(v / s, a / s), s / known);
        return true;
    }

    /// <summary>The tag-weighted mean point of the tags the lexicon knows, and how sure it is (0 when none is known).</summary>
    public (MoodPoint Point, float Confidence) Locate(IReadOnlyList<TagWeight> tags) => Locate(tags, null);

    /// <summary>
    /// <see cref="Locate(IReadOnlyList{TagWeight})"/> with each distinct tag looked up once and remembered in memo
    /// (a catalogue build: millions of tags, a few thousand distinct).
    /// </summary>
    internal (MoodPoint Point, float Confidence) Locate(IReadOnlyList<TagWeight> tags, Dictionary<string, (bool Known, LexiconEntry Entry)>? memo)
    {
        double v = 0, a = 0, mass = 0, total = 0;
        foreach (var tag in tags)
        {
            total += tag.Weight;
            bool known;
            LexiconEntry entry;
            if (memo is null)
            {
                known = TryLookup(tag.Tag, out entry);
            }
            else
            {
                ref var remembered = ref CollectionsMarshal.GetValueRefOrAddDefault(memo, tag.Tag, out var seen);
                if (!seen)
                {
                    var found = TryLookup(tag.Tag, out var looked);
                    remembered = (found, looked);
                }
                (known, entry) = remembered;
            }
            if (!known) continue;
            var w = tag.Weight * entry.Strength;
            v += entry.Point.Valence * w;
            a += entry.Point.Arousal * w;
            mass += w;
        }
        if (mass <= 0) return (default, 0f);
        var confidence = (float)Math.Min(1.0, mass / Math.Max(total, 1e-9) * 1.5);
        var denominator = mass + PriorMass;
        return (new MoodPoint((float)(v / denominator), (float)(a / denominator)), confidence);
    }

    /// <summary>A copy with another prior mass.</summary>
    public MoodLexicon WithPriorMass(float priorMass) => new(_entries.Select(kv => kv)) { PriorMass = priorMass };

    /// <summary>A copy with these entries added or replacing the ones of the same word.</summary>
    public MoodLexicon With(IEnumerable<(string Word, LexiconEntry Entry)> entries) =>
        new(_entries.Select(kv => kv).Concat(entries.Select(e => KeyValuePair.Create(e.Word, e.Entry)))) { PriorMass = PriorMass };

    /// <summary>The hand-made lexicon: mood words at full strength, genres and scene words as weaker priors.</summary>
    public static MoodLexicon Hand { get; } = new(DefaultLexicon.Entries());

    /// <summary>The shipped lexicon (the hand one: no fitted lexicon has yet beaten it by enough to ship, see `eval mood`).</summary>
    public static MoodLexicon Default => Hand;
}
