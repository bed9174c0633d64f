using SpotMirror.Core.Catalog;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

public sealed class RecommenderTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PreferenceMatrix _matrix = new(new PreferenceLearner(new LearningOptions()), Epoch);

    public void Dispose() => _matrix.Dispose();

    private static IEnumerable<Track> Songs() =>
    [
        Tracks.Make(1, "Iron Fist", "Dax", "metal:100", "heavy:50") with { Listeners = 5000 },
        Tracks.Make(2, "Steel Rage", "Dax", "metal:100") with { Listeners = 100 },
        Tracks.Make(3, "Black Anvil", "Gus", "metal:40", "doom:100"),
        Tracks.Make(4, "Sun Song", "Fay", "pop:100", "happy:80") with { Listeners = 90000 },
        Tracks.Make(5, "Quiet Shore", "Alma", "calm:100", "relaxing:90") with { Listeners = 20 },
    ];

    private Recommender Make(IEnumerable<Track>? tracks = null) =>
        new(CatalogIndex.Build(tracks ?? Songs()), _matrix, new HybridOptions());

    private void Set(long user, long track, double score, int hardDislikes = 0) =>
        _matrix.Set([new PreferenceEntry(user, track, score, DateTimeOffset.UtcNow, hardDislikes)]);

    [Fact]
    public void Popular_with_a_tag_keeps_to_that_tag()
    {
        var result = Make().Popular("metal", 10);

        Assert.Equal([1L, 2L, 3L], result.Select(r => r.Track.Id).Order());
        Assert.Equal(1, result[0].Track.Id); // 5000 listeners beat 100 and 0
    }

    [Fact]
    public void Popular_tag_is_matched_after_normalisation()
    {
        Assert.Equal(3, Make().Popular("METAL!", 10).Count);
    }

    [Fact]
    public void Popular_with_an_unknown_tag_is_empty()
    {
        Assert.Empty(Make().Popular("polka", 10));
    }

    [Fact]
    public void Popular_without_a_tag_orders_by_popularity()
    {
        var result = Make().Popular(null, 3);

        Assert.Equal(4, result[0].Track.Id);
        Assert.Equal("90,000 listeners", result[0].Reason);
        Assert.Equal(3, result.Count);
    }

    [Fact]
    public void Popular_skips_what_the_user_hid()
    {
        Set(1, 4, -2, hardDislikes: 1);

        var result = Make().Popular(null, 10, userId: 1);

        Assert.DoesNotContain(4L, result.Select(r => r.Track.Id));
        Assert.Equal(4, result.Count);
    }

    [Fact]
    public void Popular_reason_counts_local_likers_when_there_are_no_listener_figures()
    {
        Set(1, 3, 1);
        Set(2, 3, 2);

        var result = Make().Popular("doom", 1);

        Assert.Equal("liked by 2 listeners here", result[0].Reason);
    }

    [Fact]
    public void Profile_lists_the_most_liked_artist_first()
    {
        Set(1, 5, 2);   // Alma, liked twice as much
        Set(1, 1, 1);   // Dax
        Set(1, 4, -2, hardDislikes: 1); // Fay, hidden

        var profile = Make().Profile(1, DateTimeOffset.UtcNow);

        Assert.Equal("Alma", profile.Artists[0].Name);
        Assert.Equal("Dax", profile.Artists[1].Name);
        Assert.Equal(2, profile.Artists.Count);
        Assert.Equal(2, profile.Liked);
        Assert.Equal(1, profile.Hidden);
        Assert.Equal(2.0, profile.Artists[0].Weight, 3);
    }

    [Fact]
    public void Profile_weights_tags_by_their_share_of_the_top_tag()
    {
        Set(1, 1, 2);   // metal 100 -> 2 * 1, heavy 50 -> 2 * 0.5

        var profile = Make().Profile(1, DateTimeOffset.UtcNow);

        Assert.Equal("metal", profile.Tags[0].Name);
        Assert.Equal(2.0, profile.Tags[0].Weight, 3);
        Assert.Equal("heavy", profile.Tags[1].Name);
        Assert.Equal(1.0, profile.Tags[1].Weight, 3);
    }

    [Fact]
    public void Profile_names_the_mood_of_liked_tracks()
    {
        Set(1, 5, 1);   // calm, relaxing

        var profile = Make().Profile(1, DateTimeOffset.UtcNow);

        Assert.Equal("chill", profile.Moods[0].Name);
    }

    [Fact]
    public void Profile_of_a_catalog_without_named_moods_does_not_throw()
    {
        var recommender = new Recommender(CatalogIndex.Build(Songs(), moods: []), _matrix, new HybridOptions());
        Set(1, 1, 1);

        var profile = recommender.Profile(1, DateTimeOffset.UtcNow);

        Assert.Equal("Dax", profile.Artists[0].Name);
        Assert.Empty(profile.Moods);
    }

    [Fact]
    public void Profile_tag_weights_stay_finite_when_every_tag_weighs_zero()
    {
        var recommender = Make([Tracks.Make(1, "Faint", "Quiet Band", "drone:0", "noise:0")]);
        Set(1, 1, 1);

        var profile = recommender.Profile(1, DateTimeOffset.UtcNow);

        Assert.All(profile.Tags, t => Assert.True(double.IsFinite(t.Weight), $"{t.Name} weighs {t.Weight}"));
    }

    [Fact]
    public void Publish_swaps_the_catalog()
    {
        var recommender = Make();
        var next = CatalogIndex.Build([Tracks.Make(9, "New One", "Zed", "metal")]);

        recommender.Publish(next);

        Assert.Same(next, recommender.Catalog);
        Assert.Equal(9, recommender.Popular("metal", 5).Single().Track.Id);
    }

    [Fact]
    public void Recommend_without_a_user_works_from_no_taste()
    {
        var result = Make().Recommend(new RecommendationRequest { Count = 2 });

        Assert.Equal(2, result.Count);
        Assert.Equal(4, result[0].Track.Id); // nothing personal: the popular fallback speaks
        Assert.Equal("popular (react to teach me your taste)", result[0].Reason);
    }
}
