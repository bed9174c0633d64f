using System.Collections.Frozen;
using System.Runtime.InteropServices;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Mood;

namespace SpotMirror.Core.Catalog;

/// <summary>
/// An immutable in-memory snapshot of the catalog: struct-of-arrays for hot fields, sparse TF-IDF
/// vectors with an inverted index, and each track's place on the mood plane. Items are addressed by
/// a dense index 0..Count-1; track ids map to it. Build a new one and swap it when the catalog changes.
/// </summary>
public sealed partial class CatalogIndex
{
    private readonly Track[] _tracks;
    private readonly FrozenDictionary<long, int> _itemById;
    private readonly int[] _artistOf;
    private readonly string[] _artistNames;
    private readonly FrozenDictionary<string, int> _artistByName;
    private readonly int[][] _itemsByArtist;
    private readonly string[] _normalizedTitles;

    internal SparseRows Features { get; }
    internal SparseRows Postings { get; }
    internal FrozenDictionary<string, int> FeatureIds { get; }
    internal float[] Valence { get; }
    internal float[] Arousal { get; }
    internal float[] MoodConfidence { get; }
    internal float[][] NamedMoodFit { get; }
    internal float[] BasePopularity { get; }

    /// <summary>A hash of the track ids in item order: a model saved for another catalogue does not match it.</summary>
    public ulong Fingerprint { get; }

    public IReadOnlyList<NamedMood> Moods { get; }
    public MoodLexicon Lexicon { get; }
    public int Count => _tracks.Length;
    public int ArtistCount => _artistNames.Length;

    public Track this[int item] => _tracks[item];
    public int ArtistOf(int item) => _artistOf[item];
    public IReadOnlyList<int> ItemsOfArtist(int artist) => _itemsByArtist[artist];
    public bool TryGetItem(long trackId, out int item) => _itemById.TryGetValue(trackId, out item);
    public MoodPoint MoodOf(int item) => new(Valence[item], Arousal[item]);

    private CatalogIndex(
        Track[] tracks, MoodLexicon lexicon, IReadOnlyList<NamedMood> moods, ContentWeights weights)
    {
        _tracks = tracks;
        Lexicon = lexicon;
        Moods = moods;
        var n = tracks.Length;
        _itemById = tracks.Select((t, i) => KeyValuePair.Create(t.Id, i)).ToFrozenDictionary();
        Fingerprint = FingerprintOf(tracks);

        var normalized = new NormalizedText();
        var artistIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var artistNames = new List<string>();
        _artistOf = new int[n];
        _normalizedTitles = new string[n];
        for (var i = 0; i < n; i++)
        {
            var key = normalized.Of(tracks[i].Artist);
            if (!artistIds.TryGetValue(key, out var artist))
            {
                artist = artistNames.Count;
                artistIds[key] = artist;
                artistNames.Add(tracks[i].Artist);
            }
            _artistOf[i] = artist;
            _normalizedTitles[i] = Text.Normalize(tracks[i].Title);
        }
        _artistNames = [.. artistNames];
        _artistByName = artistIds.ToFrozenDictionary(StringComparer.Ordinal);
        var byArtist = new List<int>[_artistNames.Length];
        for (var i = 0; i < n; i++) (byArtist[_artistOf[i]] ??= []).Add(i);
        _itemsByArtist = byArtist.Select(l => l.ToArray()).ToArray();

        (Features, Postings, FeatureIds) = TfIdf.Build(tracks, weights, normalized);

        Valence = new float[n];
        Arousal = new float[n];
        MoodConfidence = new float[n];
        BasePopularity = new float[n];
        var located = new Dictionary<string, (bool, LexiconEntry)>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var (point, confidence) = lexicon.Locate(tracks[i].Tags, located);
            Valence[i] = point.Valence;
            Arousal[i] = point.Arousal;
            MoodConfidence[i] = confidence;
            BasePopularity[i] = (float)PopularityScale.Of(tracks[i].Listeners, tracks[i].Playcount, tracks[i].Popularity);
        }
        NamedMoodFit = ComputeFits(moods, normalized);
        NamedMoodOrder = NamedMoodFit.Select(OrderByFit).ToArray();
        _candidates = new Lazy<CandidateIndexes>(() => CandidateIndexes.Build(this));
    }

    private readonly Lazy<CandidateIndexes> _candidates;

    /// <summary>The first stage's indexes (built on first use).</summary>
    internal CandidateIndexes Candidates => _candidates.Value;

    /// <summary>Per named mood, the items with any fit, best first: a named mood's top-k is a prefix.</summary>
    internal int[][] NamedMoodOrder { get; }

    public static CatalogIndex Build(
        IEnumerable<Track> tracks,
        MoodLexicon? lexicon = null,
        IReadOnlyList<NamedMood>? moods = null,
        ContentWeights? weights = null) =>
        new([.. tracks], lexicon ?? MoodLexicon.Default, moods ?? NamedMood.Defaults, weights ?? ContentWeights.Default);

    /// <summary>
    /// How well each item fits each named mood, in [0, 1]: its place on the plane (times how sure the
    /// lexicon is of it), plus the share of the mood's own words among its tags. One pass over the tags.
    /// </summary>
    private float[][] ComputeFits(IReadOnlyList<NamedMood> moods, NormalizedText normalized)
    {
        var signatures = moods.Select(m => m.SignatureTags.Select(Text.Normalize).ToHashSet(StringComparer.Ordinal)).ToArray();
        // Which moods name each distinct tag, worked out once per tag rather than once per track that carries it.
        var moodsOfTag = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var fits = moods.Select(_ => new float[_tracks.Length]).ToArray();
        var matched = new float[moods.Count];
        for (var i = 0; i < _tracks.Length; i++)
        {
            var tags = _tracks[i].Tags;
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
            for (var m = 0; m < moods.Count; m++)
            {
                var plane = MoodEngine.PlaneFit(MoodOf(i), moods[m].Center, 2 * moods[m].Radius) * MoodConfidence[i];
                fits[m][i] = (0.6f * plane) + (0.4f * Math.Min(1f, matched[m]));
            }
        }
        return fits;
    }

    private static ulong FingerprintOf(Track[] tracks)
    {
        // FNV-1a over the ids' bytes: stable across processes, unlike string or HashCode hashing.
        var hash = 14695981039346656037UL;
        foreach (var track in tracks)
        {
            var id = (ulong)track.Id;
            for (var b = 0; b < 8; b++, id >>= 8) hash = (hash ^ (id & 0xFF)) * 1099511628211UL;
        }
        return hash;
    }

    private static int[] OrderByFit(float[] fit)
    {
        var items = Enumerable.Range(0, fit.Length).Where(i => fit[i] > 0).ToArray();
        var keys = items.Select(i => -fit[i]).ToArray();
        Array.Sort(keys, items);
        return items;
    }
}
