using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Preferences;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

public class ContentEngineTests
{
    // Five tracks, five artists (each artist feature has df 1, so it only ever matches itself).
    //   0: rock + shoegaze   1: rock   2: shoegaze   3: rock   4: rock
    // N = 5; df(rock) = 4, df(shoegaze) = 2.
    private static CatalogIndex RareAndCommon() => CatalogIndex.Build(
    [
        Tracks.Make(1, "Aa", "Ann", "rock", "shoegaze"),
        Tracks.Make(2, "Bb", "Bob", "rock"),
        Tracks.Make(3, "Cc", "Cid", "shoegaze"),
        Tracks.Make(4, "Dd", "Dee", "rock"),
        Tracks.Make(5, "Ee", "Eve", "rock"),
    ]);

    // 0 shares two tags with 1, one with 2 and none with 3.
    private static CatalogIndex SharedTags() => CatalogIndex.Build(
    [
        Tracks.Make(1, "Aa", "Ann", "rock", "indie", "shoegaze"),
        Tracks.Make(2, "Bb", "Bob", "rock", "indie"),
        Tracks.Make(3, "Cc", "Cid", "rock", "pop"),
        Tracks.Make(4, "Dd", "Dee", "jazz"),
    ]);

    [Fact]
    public void Rarer_shared_tag_outweighs_a_common_one()
    {
        var catalog = RareAndCommon();

        // idf(rock) = ln(6/5) + 1 = 1.182322, idf(shoegaze) = ln(6/3) + 1 = 1.693147,
        // artist 0.8 * (ln(6/2) + 1) = 1.678890.
        // |v0| = sqrt(1.182322^2 + 1.693147^2 + 1.678890^2) = 2.661440
        // |v1| = sqrt(1.182322^2 + 1.678890^2) = 2.053436, |v2| = sqrt(1.693147^2 + 1.678890^2) = 2.384418
        // cos(0,1) = 1.397885 / (2.661440 * 2.053436) = 0.255785
        // cos(0,2) = 2.866747 / (2.661440 * 2.384418) = 0.451742
        Assert.Equal(0.255785f, ContentEngine.Cosine(catalog, 0, 1), 4);
        Assert.Equal(0.451742f, ContentEngine.Cosine(catalog, 0, 2), 4);
        Assert.Equal(0f, ContentEngine.Cosine(catalog, 1, 2));
    }

    [Fact]
    public void Cosine_order_follows_shared_tags()
    {
        var catalog = SharedTags();

        var two = ContentEngine.Cosine(catalog, 0, 1);
        var one = ContentEngine.Cosine(catalog, 0, 2);
        var none = ContentEngine.Cosine(catalog, 0, 3);

        Assert.True(two > one, $"two shared tags {two} should beat one {one}");
        Assert.True(one > 0);
        Assert.Equal(0f, none);
    }

    [Fact]
    public void Cosine_is_symmetric()
    {
        var catalog = SharedTags();

        Assert.Equal(ContentEngine.Cosine(catalog, 0, 1), ContentEngine.Cosine(catalog, 1, 0), 6);
        Assert.Equal(ContentEngine.Cosine(catalog, 2, 1), ContentEngine.Cosine(catalog, 1, 2), 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Cosine_of_a_track_with_itself_is_one(int item)
    {
        Assert.Equal(1f, ContentEngine.Cosine(SharedTags(), item, item), 5);
    }

    [Fact]
    public void Seed_query_scores_every_track_by_its_cosine_to_the_seed()
    {
        var catalog = RareAndCommon();
        var context = new ScoringContext(catalog, UserTaste.Empty(1), seeds: [0]);
        var scores = new float[catalog.Count];

        Assert.True(new ContentEngine().Score(context, scores));

        // The seed vector is unit length, so the scores are the cosines worked above.
        Assert.Equal(1f, scores[0], 4);
        Assert.Equal(0.451742f, scores[2], 4);
        Assert.Equal(0.255785f, scores[1], 4);
        Assert.Equal(scores[1], scores[3], 5);
        Assert.Equal(scores[1], scores[4], 5);
    }

    [Fact]
    public void Seeds_take_precedence_over_taste()
    {
        var catalog = RareAndCommon();
        var taste = new UserTaste(1, new Dictionary<long, double> { [2] = 5.0 }, new HashSet<long>());
        var context = new ScoringContext(catalog, taste, seeds: [2]);
        var scores = new float[catalog.Count];

        new ContentEngine().Score(context, scores);

        // Seeded on item 2 (shoegaze only): item 1 (rock only, the liked one) shares nothing with it.
        Assert.Equal(1f, scores[2], 4);
        Assert.Equal(0f, scores[1]);
    }

    [Fact]
    public void Cold_user_without_seeds_gives_no_content_scores()
    {
        var catalog = SharedTags();
        var scores = new float[catalog.Count];

        Assert.False(new ContentEngine().Score(new ScoringContext(catalog, UserTaste.Empty(1)), scores));
        Assert.All(scores, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Inverted_index_scores_equal_brute_force_cosine_over_all_pairs()
    {
        var catalog = CatalogIndex.Build(
        [
            Tracks.Make(1, "Blue Night", "Ann", "rock:100", "indie:60", "night:20"),
            Tracks.Make(2, "Night Drive", "Bob", "synthwave:100", "night:70"),
            Tracks.Make(3, "Blue Moon", "Ann", "jazz:100", "blue:40"),
            Tracks.Make(4, "Heavy Sky", "Cid", "rock:100", "metal:90"),
            Tracks.Make(5, "Soft Rain", "Dee", "ambient:100", "indie:30"),
            Tracks.Make(6, "Sunday", "Eve", "pop:100"),
        ]);
        // Taste: liked track 1 (weight 2), disliked track 4 (weight -1), liked track 5 (weight 0.5).
        var weights = new Dictionary<int, double> { [0] = 2.0, [3] = -1.0, [4] = 0.5 };
        var taste = new UserTaste(9, weights.ToDictionary(kv => catalog[kv.Key].Id, kv => kv.Value), new HashSet<long>());
        var scores = new float[catalog.Count];

        Assert.True(new ContentEngine().Score(new ScoringContext(catalog, taste), scores));

        // q = sum_j w_j v_j, so |q|^2 = sum_jk w_j w_k cos(j,k) and cos(q, i) = sum_j w_j cos(j,i) / |q|.
        double normSquared = 0;
        foreach (var (j, wj) in weights)
        {
            foreach (var (k, wk) in weights) normSquared += wj * wk * ContentEngine.Cosine(catalog, j, k);
        }
        for (var i = 0; i < catalog.Count; i++)
        {
            double dot = 0;
            foreach (var (j, wj) in weights) dot += wj * ContentEngine.Cosine(catalog, j, i);
            Assert.Equal(dot / Math.Sqrt(normSquared), scores[i], 4);
        }
    }

    [Fact]
    public void Disliked_taste_pushes_similar_tracks_below_zero()
    {
        var catalog = SharedTags();
        var taste = new UserTaste(1, new Dictionary<long, double> { [1] = -2.0 }, new HashSet<long>());
        var scores = new float[catalog.Count];

        new ContentEngine().Score(new ScoringContext(catalog, taste), scores);

        Assert.True(scores[1] < 0);
        Assert.Equal(0f, scores[3]);
    }
}
