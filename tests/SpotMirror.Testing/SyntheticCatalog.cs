using SpotMirror.Core.Catalog;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Testing;

/// <summary>
/// Deterministic synthetic catalogs and listening histories for benchmarks and scale tests: the same
/// arguments always give the same data. Tags follow a Zipf-like skew over a vocabulary of about 300,
/// led by mood and genre words the default lexicon knows, then filler tags ("tag123"). Counts are
/// drawn log-normally, and users pick tracks with a popularity skew so that their tastes overlap.
/// </summary>
public static class SyntheticCatalog
{
    /// <summary>How many distinct tags the generated catalogs draw from.</summary>
    public const int VocabularySize = 300;

    private const double TagSkew = 0.9;
    private const double ArtistTagShare = 0.7;
    private const double NegativeShare = 0.1;

    /// <summary>Words the default lexicon knows, most common first (roughly as on Last.fm).</summary>
    private static readonly string[] KnownTags =
    [
        "rock", "pop", "electronic", "indie", "alternative", "chill", "happy", "sad", "energetic", "dance",
        "jazz", "party", "melancholic", "romantic", "instrumental", "hip hop", "metal", "acoustic", "aggressive", "relaxing",
        "classical", "ambient", "upbeat", "love", "folk", "soul", "punk", "mellow", "dark", "funk",
        "house", "techno", "blues", "country", "reggae", "rap", "calm", "epic", "dreamy", "heavy",
        "nostalgic", "groovy", "atmospheric", "catchy", "intense", "sensual", "study", "workout", "disco", "lo-fi",
        "hard rock", "classic rock", "indie pop", "synthpop", "trip-hop", "post-rock", "shoegaze", "emo", "soundtrack", "piano",
        "peaceful", "smooth", "bittersweet", "uplifting", "feel good", "heartbreak", "lonely", "angry", "powerful", "fun",
        "summer", "night", "rainy day", "driving", "club", "anthem", "focus", "minimal", "trance", "edm",
    ];

    private static readonly string[] Vocabulary = BuildVocabulary();
    private static readonly double[] TagCumulative = ZipfCumulative(Vocabulary.Length, TagSkew);

    /// <summary>The tag vocabulary, most frequent first.</summary>
    public static IReadOnlyList<string> Tags => Vocabulary;

    /// <summary>
    /// count tracks with ids 1..count titled "Track N"; artists "Artist M" with about ten tracks each;
    /// 3 to 8 distinct tags per track, weighted 100 for the first and falling after it.
    /// </summary>
    public static IReadOnlyList<Track> Tracks(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        var artistCount = Math.Max(1, (count + 5) / 10);
        var artistTag = new int[artistCount];
        for (var a = 0; a < artistCount; a++) artistTag[a] = Draw(random, TagCumulative);

        var tracks = new List<Track>(count);
        var chosen = new List<int>(8);
        for (var i = 0; i < count; i++)
        {
            var artist = random.Next(artistCount);
            var tagCount = random.Next(3, 9);
            chosen.Clear();
            if (random.NextDouble() < ArtistTagShare) chosen.Add(artistTag[artist]);
            while (chosen.Count < tagCount)
            {
                var tag = Draw(random, TagCumulative);
                if (!chosen.Contains(tag)) chosen.Add(tag);
            }

            var tags = new List<TagWeight>(tagCount);
            float weight = 100;
            foreach (var tag in chosen)
            {
                tags.Add(new TagWeight(Vocabulary[tag], weight));
                weight = Math.Max(5, weight - random.Next(5, 21));
            }

            var listeners = (long)Math.Round(Math.Exp(9 + (1.8 * Normal(random))));
            var playsPerListener = Math.Exp(2 + (0.5 * Normal(random)));
            var playcount = (long)Math.Round(listeners * playsPerListener);
            tracks.Add(new Track(i + 1, $"Track {i + 1}", $"Artist {artist + 1}", 1960 + random.Next(65), tags, listeners, playcount));
        }
        return tracks;
    }

    /// <summary>
    /// perUser distinct tracks for each of users 1..users, chosen with a popularity skew (square root of
    /// listeners; by catalogue position when no track has counts). Scores are 1 or 2, about one in ten -2;
    /// every entry is dated at and hides nothing.
    /// </summary>
    public static IReadOnlyList<PreferenceEntry> Preferences(
        IReadOnlyList<Track> tracks, int users, int perUser, int seed, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(tracks);
        ArgumentOutOfRangeException.ThrowIfNegative(users);
        ArgumentOutOfRangeException.ThrowIfNegative(perUser);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perUser, tracks.Count);
        var random = new Random(seed);
        var cumulative = PopularityCumulative(tracks);
        var entries = new List<PreferenceEntry>(users * perUser);
        var taken = new HashSet<int>();
        for (var user = 1L; user <= users; user++)
        {
            taken.Clear();
            var attempts = 0;
            while (taken.Count < perUser && attempts++ < perUser * 50)
            {
                var item = Draw(random, cumulative);
                if (taken.Add(item)) entries.Add(Entry(user, tracks[item].Id));
            }
            // A tiny catalogue can starve the skewed draw: fill the rest from a random starting point.
            for (var item = random.Next(tracks.Count); taken.Count < perUser; item = (item + 1) % tracks.Count)
            {
                if (taken.Add(item)) entries.Add(Entry(user, tracks[item].Id));
            }
        }
        return entries;

        PreferenceEntry Entry(long user, long trackId)
        {
            var score = random.NextDouble() < NegativeShare ? -2 : random.Next(1, 3);
            return new PreferenceEntry(user, trackId, score, at, 0);
        }
    }

    private static string[] BuildVocabulary()
    {
        var words = new List<string>(VocabularySize);
        words.AddRange(KnownTags);
        for (var n = 1; words.Count < VocabularySize; n++) words.Add($"tag{n}");
        return [.. words];
    }

    /// <summary>Running totals of 1 / (rank + 1)^skew: a draw picks rank r with that weight.</summary>
    private static double[] ZipfCumulative(int count, double skew)
    {
        var cumulative = new double[count];
        double total = 0;
        for (var r = 0; r < count; r++)
        {
            total += 1 / Math.Pow(r + 1, skew);
            cumulative[r] = total;
        }
        return cumulative;
    }

    private static double[] PopularityCumulative(IReadOnlyList<Track> tracks)
    {
        if (!tracks.Any(t => t.Listeners is > 0)) return ZipfCumulative(tracks.Count, 0.8);
        var cumulative = new double[tracks.Count];
        double total = 0;
        for (var i = 0; i < tracks.Count; i++)
        {
            total += 1 + Math.Sqrt(tracks[i].Listeners ?? 0);
            cumulative[i] = total;
        }
        return cumulative;
    }

    /// <summary>An index drawn with the weights that the running totals describe.</summary>
    private static int Draw(Random random, double[] cumulative)
    {
        var target = random.NextDouble() * cumulative[^1];
        var at = Array.BinarySearch(cumulative, target);
        if (at < 0) at = ~at;
        return Math.Min(at, cumulative.Length - 1);
    }

    /// <summary>A standard normal deviate (Box-Muller).</summary>
    private static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
