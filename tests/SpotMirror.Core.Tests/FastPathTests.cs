using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

/// <summary>The engine-level top-k paths must agree with the dense scoring the hybrid uses.</summary>
public sealed class FastPathTests
{
    private static readonly CatalogIndex Catalog = CatalogIndex.Build(
    [
        Tracks.Make(1, "Calm Waters", "A", "chill", "ambient:60", "calm:40"),
        Tracks.Make(2, "Quiet Night", "B", "chill", "relaxing:80"),
        Tracks.Make(3, "Storm", "C", "metal", "aggressive:90", "heavy:50"),
        Tracks.Make(4, "Dance Floor", "D", "party", "dance:70", "happy:30"),
        Tracks.Make(5, "Slow Morning", "E", "mellow", "chill:50", "acoustic:40"),
        Tracks.Make(6, "Rage", "C", "angry", "metal:80"),
        Tracks.Make(7, "Still", "F", "ambient", "instrumental:90", "calm:30"),
    ]);

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(6)]
    public void Similar_through_the_inverted_index_ranks_as_the_dense_cosine_does(int seed)
    {
        var dense = new float[Catalog.Count];
        new ContentEngine().Score(new ScoringContext(Catalog, UserTaste.Empty(1), seeds: [seed]), dense);
        dense[seed] = float.NegativeInfinity;
        var expected = TopK.Select(dense, 3).Where(i => dense[i] > 0).ToList();

        var fast = ContentEngine.SimilarTo(Catalog, [seed], 3);

        Assert.Equal(expected, fast.Select(x => x.Item));
        Assert.All(fast, x => Assert.Equal(dense[x.Item], x.Score, 5));
    }

    [Fact]
    public void Similar_leaves_its_scratch_space_clean_for_the_next_call()
    {
        var first = ContentEngine.SimilarTo(Catalog, [0], 5);
        ContentEngine.SimilarTo(Catalog, [2], 5);

        Assert.Equal(first, ContentEngine.SimilarTo(Catalog, [0], 5));
    }

    [Theory]
    [InlineData("chill")]
    [InlineData("angry")]
    [InlineData("party")]
    [InlineData("rainy sunday")]
    public void Mood_top_k_matches_the_dense_mood_scores(string query)
    {
        var target = new MoodResolver(Catalog.Lexicon, Catalog.Moods).Resolve(query).Target!;
        var dense = new float[Catalog.Count];
        new MoodEngine().Score(new ScoringContext(Catalog, UserTaste.Empty(1), target), dense);

        var top = MoodEngine.Top(Catalog, target, 3);

        Assert.Equal(TopK.Select(dense, 3).Where(i => dense[i] > 0).Take(top.Count), top.Select(x => x.Item));
    }

    [Fact]
    public void Popularity_follows_new_likes_without_a_stale_cache()
    {
        using var matrix = new PreferenceMatrix(new PreferenceLearner(new LearningOptions()), DateTimeOffset.UnixEpoch);
        var engine = new PopularityEngine(matrix);
        var context = new ScoringContext(Catalog, UserTaste.Empty(1));
        Assert.False(engine.Score(context, new float[Catalog.Count]));

        matrix.Set([new PreferenceEntry(1, 4, 1, DateTimeOffset.UnixEpoch, 0)]);
        var scores = new float[Catalog.Count];

        Assert.True(engine.Score(context, scores));
        Assert.Equal(1f, scores[3]);
    }

    [Fact]
    public void A_row_norm_kept_incrementally_equals_the_norm_recomputed()
    {
        using var matrix = new PreferenceMatrix(new PreferenceLearner(new LearningOptions()), DateTimeOffset.UnixEpoch);
        var at = DateTimeOffset.UnixEpoch;
        matrix.Set([new PreferenceEntry(1, 1, 3, at, 0), new PreferenceEntry(1, 2, 4, at, 0)]);
        matrix.Set([new PreferenceEntry(1, 1, 1, at, 0), new PreferenceEntry(1, 3, 0, at, 0)]);

        var norm = matrix.Read((rows, _) => rows[1].Norm);

        Assert.Equal(Math.Sqrt(17), norm, 9);
    }
}
