using System.Buffers;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Core;

/// <summary>A user's taste as learned, for /profile.</summary>
public sealed record TasteProfile(
    IReadOnlyList<(string Name, double Weight)> Tags,
    IReadOnlyList<(string Name, double Weight)> Moods,
    IReadOnlyList<(string Name, double Weight)> Artists,
    int Liked,
    int Hidden);

/// <summary>
/// The core's front door: the current catalog snapshot, the preference matrix, and the engines.
/// Queries read memory only; the catalog is swapped whole with <see cref="Publish"/>.
/// </summary>
public sealed class Recommender
{
    private volatile CatalogIndex _catalog;
    private readonly HybridRanker _ranker;

    public Recommender(CatalogIndex catalog, PreferenceMatrix preferences, HybridOptions options)
    {
        _catalog = catalog;
        Preferences = preferences;
        Engines = new EngineSet(preferences, options);
        _ranker = new HybridRanker(Engines, options);
        Moods = new MoodResolver(catalog.Lexicon, catalog.Moods);
    }

    public CatalogIndex Catalog => _catalog;
    public PreferenceMatrix Preferences { get; }
    public MoodResolver Moods { get; }

    /// <summary>The engines every ranker of this recommender blends.</summary>
    public EngineSet Engines { get; }

    /// <summary>The learned model's slot: a refit publishes a new model here.</summary>
    public LearnedEngine Learned => Engines.Learned;

    /// <summary>
    /// Fits the learned model on every user's current likes, warm-started from previous when given
    /// (a batch job: minutes at large sizes, so run it off the request path and publish the result).
    /// </summary>
    public ImplicitAlsModel FitLearned(ImplicitAlsSettings settings, ImplicitAlsModel? previous = null, CancellationToken cancellationToken = default) =>
        ImplicitAls.Fit(Preferences.LikesByUserId(), settings, previous, cancellationToken);

    /// <summary>Swaps in a new catalog snapshot; requests under way finish on the old one.</summary>
    public void Publish(CatalogIndex catalog) => _catalog = catalog;

    public IReadOnlyList<Recommendation> Recommend(RecommendationRequest request)
    {
        var catalog = _catalog;
        var taste = request.UserId is { } user ? Preferences.TasteOf(user) : UserTaste.Empty(0);
        var context = new ScoringContext(catalog, taste, request.Mood, request.Seed?.Items);
        return _ranker.Rank(context, request);
    }

    /// <summary>One user's blended hybrid score for each given track id (0 for ids not in the catalogue): predictions for a group pool.</summary>
    public float[] Predict(long userId, IReadOnlyList<long> trackIds)
    {
        var catalog = _catalog;
        var items = trackIds.Select(id => catalog.TryGetItem(id, out var item) ? item : -1).ToArray();
        var known = items.Where(i => i >= 0).ToList();
        var scores = _ranker.Predict(new ScoringContext(catalog, Preferences.TasteOf(userId)), known);
        var result = new float[trackIds.Count];
        for (int i = 0, k = 0; i < items.Length; i++) result[i] = items[i] >= 0 ? scores[k++] : 0;
        return result;
    }

    /// <summary>The most popular tracks, of one tag when given; ties broken by how strongly the track carries the tag.</summary>
    public IReadOnlyList<Recommendation> Popular(string? tag, int count, long? userId = null)
    {
        var catalog = _catalog;
        var taste = userId is { } user ? Preferences.TasteOf(user) : UserTaste.Empty(0);
        var (popularity, hasCounts) = Engines.Popularity.Current(catalog);
        var blended = ArrayPool<float>.Shared.Rent(catalog.Count);
        try
        {
            var scores = blended.AsSpan(0, catalog.Count);
            if (tag is null)
            {
                popularity.AsSpan().CopyTo(scores);
            }
            else
            {
                var feature = catalog.TagFeature(tag);
                if (feature < 0) return [];
                scores.Fill(float.NegativeInfinity);
                var items = catalog.Postings.ColumnsOf(feature);
                var values = catalog.Postings.ValuesOf(feature);
                for (var k = 0; k < items.Length; k++) scores[items[k]] = popularity[items[k]] + (1e-3f * values[k]);
            }
            foreach (var trackId in taste.Hidden)
            {
                if (catalog.TryGetItem(trackId, out var hidden)) scores[hidden] = float.NegativeInfinity;
            }
            var candidates = TopK.Select(scores, Math.Max(count * 6, 30));
            var context = new ScoringContext(catalog, taste);
            return HybridRanker.Diversify(context, candidates, count)
                .Select(i => new Recommendation(i, catalog[i], blended[i], PopularReason(catalog[i], Preferences.PositiveCount(catalog[i].Id), tag, hasCounts), EngineKind.Popularity))
                .ToList();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(blended);
        }
    }

    /// <summary>The taste as of now (scores decay with time, so the caller's clock says when).</summary>
    public TasteProfile Profile(long userId, DateTimeOffset now, int top = 5)
    {
        var catalog = _catalog;
        var taste = Preferences.TasteOf(userId);
        var tags = new Dictionary<string, double>(StringComparer.Ordinal);
        var moods = new Dictionary<string, double>(StringComparer.Ordinal);
        var artists = new Dictionary<string, double>(StringComparer.Ordinal);
        var liked = 0;
        foreach (var (trackId, scaled) in taste.Scores)
        {
            if (scaled <= 0 || !catalog.TryGetItem(trackId, out var item)) continue;
            liked++;
            var score = Preferences.Effective(scaled, now);
            var track = catalog[item];
            artists[track.Artist] = artists.GetValueOrDefault(track.Artist) + score;
            var topWeight = track.Tags.Count == 0 ? 1f : Math.Max(track.Tags.Max(t => t.Weight), 1e-6f);
            foreach (var tag in track.Tags) tags[tag.Tag] = tags.GetValueOrDefault(tag.Tag) + (score * tag.Weight / topWeight);
            if (catalog.Moods.Count == 0) continue;
            var best = Enumerable.Range(0, catalog.Moods.Count).MaxBy(m => catalog.NamedMoodFit[m][item]);
            if (catalog.NamedMoodFit[best][item] >= 0.3f)
            {
                moods[catalog.Moods[best].Name] = moods.GetValueOrDefault(catalog.Moods[best].Name) + score;
            }
        }
        return new TasteProfile(Top(tags), Top(moods), Top(artists), liked, taste.Hidden.Count);

        List<(string, double)> Top(Dictionary<string, double> d) =>
            d.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(top).Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private static string PopularReason(Track track, int likers, string? tag, bool hasCounts)
    {
        if (track.Listeners is > 0) return $"{track.Listeners:N0} listeners";
        if (likers > 0) return likers == 1 ? "liked by 1 listener here" : $"liked by {likers} listeners here";
        if (tag is not null) return $"tagged {tag}";
        return hasCounts ? "not yet liked here" : "a catalogue pick: nobody has reacted yet";
    }
}
