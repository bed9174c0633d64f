using System.Runtime.InteropServices;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Mood;

namespace SpotMirror.Core.Catalog;

/// <summary>
/// The catalogue's mood columns, built in one pass of their own: each track's place on the mood plane and how
/// sure the lexicon is of it, its base popularity, and how well it fits each named mood with each mood's items
/// ordered best first (so a named mood's top-k is a prefix).
/// </summary>
internal sealed class MoodColumns(int count)
{
    public float[] Valence { get; } = new float[count];
    public float[] Arousal { get; } = new float[count];
    public float[] Confidence { get; } = new float[count];
    public float[] Popularity { get; } = new float[count];
    public float[][] Fits { get; private set; } = [];
    public int[][] Order { get; private set; } = [];

    public void Fill(Track[] tracks, MoodLexicon lexicon, IReadOnlyList<NamedMood> moods, NormalizedText normalized)
    {
        var located = new Dictionary<string, (bool, LexiconEntry)>(StringComparer.Ordinal);
        for (var i = 0; i < tracks.Length; i++)
        {
            var (point, confidence) = lexicon.Locate(tracks[i].Tags, located);
            Valence[i] = point.Valence;
            Arousal[i] = point.Arousal;
            Confidence[i] = confidence;
            Popularity[i] = (float)PopularityScale.Of(tracks[i].Listeners, tracks[i].Playcount, tracks[i].Popularity);
        }
        Fits = ComputeFits(tracks, moods, normalized);
        Order = Fits.Select(OrderByFit).ToArray();
    }

    /// <summary>
    /// How well each item fits each named mood, in [0, 1]: its place on the plane (times how sure the
    /// lexicon is of it), plus the share of the mood's own words among its tags. One pass over the tags.
    /// </summary>
    private float[][] ComputeFits(Track[] tracks, IReadOnlyList<NamedMood> moods, NormalizedText normalized)
    {
        var signatures = moods.Select(m => m.SignatureTags.Select(Text.Normalize).ToHashSet(StringComparer.Ordinal)).ToArray();
        // Which moods name each distinct tag, worked out once per tag rather than once per track that carries it.
        var moodsOfTag = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var fits = moods.Select(_ => new float[tracks.Length]).ToArray();
        var matched = new float[moods.Count];
        for (var i = 0; i < tracks.Length; i++)
        {
            var tags = tracks[i].Tags;
            var top = 0f;
            foreach (var tag in tags) top = Math.Max(top, tag.Weight);
            top = Math.Max(top, 1e-6f);
            Array.Clear(matched);
            foreach (var tag in tags)
            {
                ref var named = ref CollectionsMarshal.GetValueRefOrAddDefault(moodsOfTag, tag.Tag, out var seen);
                if (!seen)
                {
                    var key = normalized.Of(tag.Tag);
                    named = Enumerable.Range(0, moods.Count).Where(m => signatures[m].Contains(key)).ToArray();
                }
                foreach (var m in named!) matched[m] += tag.Weight / top;
            }
            var at = new MoodPoint(Valence[i], Arousal[i]);
            for (var m = 0; m < moods.Count; m++)
            {
                var plane = MoodEngine.PlaneFit(at, moods[m].Center, 2 * moods[m].Radius) * Confidence[i];
                fits[m][i] = (0.6f * plane) + (0.4f * Math.Min(1f, matched[m]));
            }
        }
        return fits;
    }

    private static int[] OrderByFit(float[] fit)
    {
        var items = Enumerable.Range(0, fit.Length).Where(i => fit[i] > 0).ToArray();
        var keys = items.Select(i => -fit[i]).ToArray();
        Array.Sort(keys, items);
        return items;
    }
}
