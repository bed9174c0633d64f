using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Preferences;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

/// <summary>Spotify's 0-100 and Last.fm's listeners and plays on one popularity scale.</summary>
public sealed class PopularityScaleTests
{
    [Theory]
    [InlineData(null, null, 0, 0.0)]                    // Spotify's 0 is nothing at all
    [InlineData(null, null, 100, 1.0)]                  // Spotify's 100 is the top of Last.fm's chart
    [InlineData(null, null, 50, 0.5)]
    [InlineData(3_000_000L, 30_000_000L, null, 1.0)]    // the chart top by counts
    [InlineData(3_000_000L, 30_000_000L, 0, 0.5)]       // both known: the mean of the two readings
    public void Readings_sit_on_one_scale_where_spotify_100_is_the_chart_top(long? listeners, long? plays, int? popularity, double shareOfTop) =>
        Assert.Equal(shareOfTop, PopularityScale.Of(listeners, plays, popularity) / PopularityScale.Top, 6);

    [Fact]
    public void A_spotify_only_track_and_a_last_fm_only_track_rank_against_each_other_in_the_engine()
    {
        using var matrix = new PreferenceMatrix(new PreferenceLearner(new LearningOptions()), DateTimeOffset.UnixEpoch);
        var catalog = CatalogIndex.Build(
        [
            Tracks.Make(1, "Hit", "Spotify Only", "pop") with { Popularity = 90 },
            Tracks.Make(2, "Known", "Last.fm Only", "pop") with { Listeners = 100_000, Playcount = 700_000 },
            Tracks.Make(3, "Obscure", "Spotify Only", "pop") with { Popularity = 10 },
        ]);

        var (scores, any) = new PopularityEngine(matrix).Current(catalog);

        Assert.True(any);
        Assert.Equal([0, 1, 2], Enumerable.Range(0, 3).OrderByDescending(i => scores[i]));
    }
}
