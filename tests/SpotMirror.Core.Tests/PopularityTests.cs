using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Preferences;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

public sealed class PopularityTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PreferenceMatrix _matrix = new(new PreferenceLearner(new LearningOptions()), Epoch);

    public void Dispose() => _matrix.Dispose();

    [Theory]
    [InlineData(999, 0, 0, 6.907755)]   // ln 1000
    [InlineData(0, 999, 0, 6.907755)]   // ln 1000
    [InlineData(0, 0, 0, 0.0)]          // ln 1 * 3
    [InlineData(9, 9, 0, 4.605170)]     // ln 10 + ln 10 = ln 100
    [InlineData(1, 1, 1, 2.079442)]     // 3 ln 2 = ln 8
    [InlineData(99, 9, 9, 9.210340)]    // ln 100 + ln 10 + ln 10 = ln 10000
    public void Raw_popularity_is_the_sum_of_three_logs(long listeners, long plays, int likers, double expected)
    {
        Assert.Equal(expected, PopularityEngine.Raw(listeners, plays, likers), 5);
    }

    private static CatalogIndex Catalog() => CatalogIndex.Build(
    [
        Tracks.Make(1, "Aa", "Ann", "rock") with { Listeners = 999, Playcount = 0 },  // ln 1000
        Tracks.Make(2, "Bb", "Bob", "rock") with { Listeners = 9, Playcount = 9 },    // ln 100
        Tracks.Make(3, "Cc", "Cid", "rock"),                                          // 0
    ]);

    [Fact]
    public void Scores_are_divided_by_the_largest_so_the_top_is_exactly_one()
    {
        var catalog = Catalog();
        var scores = new float[catalog.Count];

        Assert.True(new PopularityEngine(_matrix).Score(new ScoringContext(catalog, UserTaste.Empty(1)), scores));

        Assert.Equal(1f, scores[0]);
        Assert.Equal(2f / 3f, scores[1], 5); // ln 100 / ln 1000
        Assert.Equal(0f, scores[2]);
    }

    [Fact]
    public void Local_likers_raise_a_track()
    {
        var catalog = Catalog();
        // Three users like track 3 and one dislikes it (dislikes are not likers).
        _matrix.Load(
        [
            new PreferenceEntry(1, 3, 1, Epoch, 0),
            new PreferenceEntry(2, 3, 2, Epoch, 0),
            new PreferenceEntry(3, 3, 0.5, Epoch, 0),
            new PreferenceEntry(4, 3, -2, Epoch, 1),
        ]);
        var scores = new float[catalog.Count];

        new PopularityEngine(_matrix).Score(new ScoringContext(catalog, UserTaste.Empty(1)), scores);

        // Raw: track 1 ln 1000 = 6.907755 (still the max), track 3 ln(1 + 3) = 1.386294.
        Assert.Equal(1f, scores[0]);
        Assert.Equal(0.200687f, scores[2], 4); // 1.386294 / 6.907755
    }

    [Fact]
    public void Enough_local_likers_overtake_equal_global_counts()
    {
        var catalog = CatalogIndex.Build(
        [
            Tracks.Make(1, "Aa", "Ann", "rock") with { Listeners = 99 },
            Tracks.Make(2, "Bb", "Bob", "rock") with { Listeners = 99 },
        ]);
        _matrix.Load([new PreferenceEntry(1, 2, 1, Epoch, 0)]);
        var scores = new float[catalog.Count];

        new PopularityEngine(_matrix).Score(new ScoringContext(catalog, UserTaste.Empty(1)), scores);

        // Track 2: ln 100 + ln 2 = 5.298317 is the max; track 1: ln 100 / 5.298317 = 0.869176.
        Assert.Equal(1f, scores[1]);
        Assert.Equal(0.869176f, scores[0], 4);
    }

    [Fact]
    public void All_zero_catalog_has_nothing_to_say()
    {
        var catalog = CatalogIndex.Build([Tracks.Make(1, "Aa", "Ann", "rock"), Tracks.Make(2, "Bb", "Bob", "pop")]);
        var scores = new float[catalog.Count];

        Assert.False(new PopularityEngine(_matrix).Score(new ScoringContext(catalog, UserTaste.Empty(1)), scores));
    }

    [Fact]
    public void Likers_of_tracks_outside_the_catalog_are_ignored()
    {
        var catalog = CatalogIndex.Build([Tracks.Make(1, "Aa", "Ann", "rock")]);
        _matrix.Load([new PreferenceEntry(1, 999, 1, Epoch, 0)]);
        var scores = new float[catalog.Count];

        Assert.False(new PopularityEngine(_matrix).Score(new ScoringContext(catalog, UserTaste.Empty(1)), scores));
    }
}
