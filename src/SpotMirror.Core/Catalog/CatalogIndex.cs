using System.Collections.Frozen;
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
        Track[] tracks, MoodLexicon lexicon, IReadOnlyList<NamedMood> moods, ContentWeights weights, CatalogContent? content = null)
    {
        _tracks = tracks;
        Lexicon = lexicon;
        Moods = moods;
        var n = tracks.Length;
        Fingerprint = FingerprintOf(tracks);

        // Four independent parts, each with its own normalisation memo, built side by side: at a million
        // tracks each takes seconds, and start-up waits for the longest rather than their sum. The titles are
        // normalised once, by the content part, which cuts its title words from them.
        (SparseRows Features, SparseRows Postings, FrozenDictionary<string, int> Ids) vectors = (null!, null!, null!);
        var mood = new MoodColumns(n);
        ArtistColumns artists = null!;
        FrozenDictionary<long, int> itemById = null!;
        var titles = new string[n];
        Parallel.Invoke(
            () => itemById = tracks.Select((t, i) => KeyValuePair.Create(t.Id, i)).ToFrozenDictionary(),
            () =>
            {
                for (var i = 0; i < n; i++) titles[i] = Text.Normalize(tracks[i].Title);
                vectors = content is null ? TfIdf.Build(tracks, weights, new NormalizedText(), titles) : (content.Features, content.Postings, content.Ids);
            },
            () => mood.Fill(tracks, lexicon, moods, new NormalizedText()),
            () => artists = IndexArtists(tracks, new NormalizedText()));
        _itemById = itemById;
        (Features, Postings, FeatureIds) = vectors;
        Valence = mood.Valence;
        Arousal = mood.Arousal;
        MoodConfidence = mood.Confidence;
        BasePopularity = mood.Popularity;
        NamedMoodFit = mood.Fits;
        NamedMoodOrder = mood.Order;
        _artistOf = artists.ArtistOf;
        _normalizedTitles = titles;
        _artistNames = artists.Names;
        _artistByName = artists.ByName;
        _itemsByArtist = artists.Items;
        _candidates = new Lazy<CandidateIndexes>(() => CandidateIndexes.Build(this));
    }

    private readonly Lazy<CandidateIndexes> _candidates;

    private sealed record ArtistColumns(int[] ArtistOf, string[] Names, FrozenDictionary<string, int> ByName, int[][] Items);

    private static ArtistColumns IndexArtists(Track[] tracks, NormalizedText normalized)
    {
        var n = tracks.Length;
        var artistIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var artistNames = new List<string>();
        var artistOf = new int[n];
        for (var i = 0; i < n; i++)
        {
            var key = normalized.Of(tracks[i].Artist);
            if (!artistIds.TryGetValue(key, out var artist))
            {
                artist = artistNames.Count;
                artistIds[key] = artist;
                artistNames.Add(tracks[i].Artist);
            }
            artistOf[i] = artist;
        }
        var byArtist = new List<int>[artistNames.Count];
        for (var i = 0; i < n; i++) (byArtist[artistOf[i]] ??= []).Add(i);
        return new ArtistColumns(artistOf, [.. artistNames], artistIds.ToFrozenDictionary(StringComparer.Ordinal), byArtist.Select(l => l.ToArray()).ToArray());
    }

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

    /// <summary>An index over tracks whose content vectors a start-up snapshot kept (made by this build, with the default weights).</summary>
    public static CatalogIndex Build(IEnumerable<Track> tracks, CatalogContent? content) =>
        new([.. tracks], MoodLexicon.Default, NamedMood.Defaults, ContentWeights.Default, content);

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
}
