using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

public sealed class HybridRankerTests : IDisposable
{
    private const string ColdReason = "a pick from the catalogue (react to teach me your taste)";
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PreferenceMatrix _matrix = new(new PreferenceLearner(new LearningOptions()), Epoch);

    public void Dispose() => _matrix.Dispose();

    // Metal catalog: Dax's three tracks are closest to "Metal Heart" (same two tags, and a commoner
    // artist feature makes their vectors lean more on the tags), then Hal (two tags), Gus (one), Fay (none).
    private static CatalogIndex Metal() => CatalogIndex.Build(
    [
        Tracks.Make(1, "Iron Fist", "Dax", "metal", "heavy"),
        Tracks.Make(2, "Steel Rage", "Dax", "metal", "heavy"),
        Tracks.Make(3, "Dark Forge", "Dax", "metal", "heavy"),
        Tracks.Make(4, "Black Anvil", "Gus", "metal"),
        Tracks.Make(5, "Cold Blade", "Hal", "metal", "heavy"),
        Tracks.Make(6, "Sun Song", "Fay", "pop"),
        Tracks.Make(7, "Metal Heart", "Ivy", "metal", "heavy"),
    ]);

    private static CatalogIndex Moods() => CatalogIndex.Build(
    [
        Tracks.Make(1, "Quiet Shore", "Alma", "calm", "relaxing"),
        Tracks.Make(2, "Still Water", "Bruno", "chill", "mellow"),
        Tracks.Make(3, "Slow Tide", "Cora", "peaceful", "acoustic"),
        Tracks.Make(4, "Iron Fist", "Dax", "aggressive", "heavy", "metal"),
        Tracks.Make(5, "Steel Rage", "Dax", "angry", "metal"),
        Tracks.Make(6, "Dance Floor", "Eve", "party", "dance"),
        Tracks.Make(7, "Sun Song", "Fay", "happy", "pop"),
        Tracks.Make(8, "Soft Shore", "Alma", "calm", "mellow"),
    ]);

    private Recommender Recommender(CatalogIndex catalog) => new(catalog, _matrix, new HybridOptions());

    private void Like(long user, long track, double score = 1) => _matrix.Set([new PreferenceEntry(user, track, score, Epoch, 0)]);

    private static List<long> Ids(IEnumerable<Recommendation> list) => list.Select(r => r.Track.Id).ToList();

    [Fact]
    public void No_artist_twice_when_enough_others_exist()
    {
        Like(1, 7);

        var result = Recommender(Metal()).Recommend(new RecommendationRequest { UserId = 1, Count = 3 });

        // Content alone would give Dax three times; diversity keeps the best Dax and moves on.
        Assert.Equal([1L, 5L, 4L], Ids(result));
    }

    [Fact]
    public void Diversify_skips_a_repeated_artist()
    {
        var catalog = Metal();
        var context = new ScoringContext(catalog, UserTaste.Empty(1));

        // Items 0, 1, 2 are Dax; 3 Gus; 4 Hal.
        Assert.Equal([0, 3, 4], HybridRanker.Diversify(context, [0, 1, 3, 2, 4], 3));
    }

    [Fact]
    public void Diversify_fills_from_the_skipped_when_artists_run_out()
    {
        var catalog = Metal();
        var context = new ScoringContext(catalog, UserTaste.Empty(1));

        Assert.Equal([0, 3, 1, 2], HybridRanker.Diversify(context, [0, 1, 2, 3], 4));
        Assert.Equal([0, 3, 1], HybridRanker.Diversify(context, [0, 1, 2, 3], 3));
    }

    [Fact]
    public void Hidden_and_rated_tracks_are_never_returned()
    {
        Like(1, 7);
        _matrix.Set([new PreferenceEntry(1, 2, -2, Epoch, 1)]);   // hard dislike: hidden
        _matrix.Set([new PreferenceEntry(1, 6, -0.5, Epoch, 0)]); // a skip: rated, not hidden

        var result = Recommender(Metal()).Recommend(new RecommendationRequest { UserId = 1, Count = 10 });

        Assert.Equal([1L, 3L, 4L, 5L], Ids(result).Order());
    }

    [Fact]
    public void Exclude_set_is_honoured()
    {
        Like(1, 7);
        var request = new RecommendationRequest { UserId = 1, Count = 10, Exclude = new HashSet<long> { 1, 5 } };

        var result = Recommender(Metal()).Recommend(request);

        Assert.Equal([2L, 3L, 4L, 6L], Ids(result).Order());
    }

    [Fact]
    public void Mood_request_returns_only_tracks_passing_the_mood_gate()
    {
        var recommender = Recommender(Moods());
        var chill = recommender.Moods.Resolve("chill").Target;

        var result = recommender.Recommend(new RecommendationRequest { UserId = 1, Count = 10, Mood = chill });

        // Angry, party and happy tracks sit beyond chill's reach and carry no chill tag: fit 0, under the gate.
        Assert.Equal([1L, 2L, 3L, 8L], Ids(result).Order());
    }

    [Fact]
    public void Mood_request_on_a_cold_user_gives_the_mood_name_as_reason()
    {
        var recommender = Recommender(Moods());
        var chill = recommender.Moods.Resolve("relaxing").Target;

        var result = recommender.Recommend(new RecommendationRequest { UserId = 1, Count = 2, Mood = chill });

        Assert.Equal(2, result.Count);
        Assert.All(result, r => Assert.Equal("chill", r.Reason));
    }

    [Fact]
    public void Free_text_mood_reason_quotes_the_words()
    {
        var recommender = Recommender(Moods());
        var target = recommender.Moods.Resolve("calm mellow evening").Target;

        var result = recommender.Recommend(new RecommendationRequest { UserId = 1, Count = 1, Mood = target });

        Assert.Equal("fits \"calm mellow evening\"", result[0].Reason);
    }

    [Fact]
    public void Content_driven_result_names_the_liked_track()
    {
        Like(1, 2); // Still Water: chill, mellow

        var result = Recommender(Moods()).Recommend(new RecommendationRequest { UserId = 1, Count = 3 });

        // Only Soft Shore shares a tag (mellow) with Still Water.
        Assert.Equal(8, result[0].Track.Id);
        Assert.StartsWith("because you liked Still Water", result[0].Reason);
    }

    [Fact]
    public void Seeded_request_names_the_seed_and_skips_it()
    {
        var recommender = Recommender(Metal());
        var seed = recommender.Catalog.FindSeed("Iron Fist");

        var result = recommender.Recommend(new RecommendationRequest { UserId = 1, Count = 3, Seed = seed });

        Assert.DoesNotContain(1L, Ids(result));
        Assert.Equal(2, result[0].Track.Id);
        Assert.Equal("similar to Iron Fist - Dax", result[0].Reason);
    }

    [Fact]
    public void Cold_request_with_no_signals_returns_catalogue_picks()
    {
        var result = Recommender(Moods()).Recommend(new RecommendationRequest { UserId = 3, Count = 4 });

        Assert.Equal(4, result.Count);
        Assert.All(result, r => Assert.Equal(ColdReason, r.Reason));
        Assert.Equal(4, result.Select(r => r.Track.Artist).Distinct().Count());
    }

    [Fact]
    public void Cold_order_is_stable_for_one_user()
    {
        var recommender = Recommender(Moods());
        var request = new RecommendationRequest { UserId = 3, Count = 5 };

        Assert.Equal(Ids(recommender.Recommend(request)), Ids(recommender.Recommend(request)));
    }

    [Theory]
    [InlineData(new[] { 2f, -4f, 1f }, new[] { 0.5f, -1f, 0.25f })]
    [InlineData(new[] { 0f, 3f }, new[] { 0f, 1f })]
    public void NormalizeByMax_divides_by_the_largest_magnitude(float[] scores, float[] expected)
    {
        Assert.True(HybridRanker.NormalizeByMax(scores));
        Assert.Equal(expected, scores);
    }

    [Fact]
    public void NormalizeByMax_of_all_zero_is_false()
    {
        Assert.False(HybridRanker.NormalizeByMax(new float[3]));
    }
}
