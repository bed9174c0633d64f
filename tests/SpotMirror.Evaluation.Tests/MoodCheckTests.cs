using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;
using SpotMirror.Evaluation;

namespace SpotMirror.Evaluation.Tests;

public sealed class MoodCheckTests
{
    [Fact]
    public void Pearson_on_hand_worked_series()
    {
        Assert.Equal(1.0, MoodCheck.Pearson([1, 2, 3], [2, 4, 6]), 12);
        Assert.Equal(-1.0, MoodCheck.Pearson([1, 2, 3], [3, 2, 1]), 12);
        // x = 1,2,3,4 and y = 1,3,2,4: cov 1.25*... r = 0.8 by hand (sxy 4, sxx 5, syy 5).
        Assert.Equal(0.8, MoodCheck.Pearson([1, 2, 3, 4], [1, 3, 2, 4]), 12);
        Assert.True(double.IsNaN(MoodCheck.Pearson([1, 1, 1], [1, 2, 3])));
    }

    [Fact]
    public void A_lexicon_fitted_on_train_artists_moves_tags_toward_their_artists_moods()
    {
        var tags = new Dictionary<string, List<TagWeight>>(StringComparer.Ordinal)
        {
            ["a"] = [new("sunny", 10)], ["b"] = [new("sunny", 5)], ["c"] = [new("gloomy", 8)], ["d"] = [new("gloomy", 3)],
            ["e"] = [new("sunny", 2), new("gloomy", 2)],
        };
        var train = new Dictionary<string, (double, double)>(StringComparer.Ordinal)
        {
            ["a"] = (1.5, 0.2), ["b"] = (1.2, 0.0), ["c"] = (-1.4, -0.6), ["d"] = (-1.0, -0.4), ["e"] = (0.1, -0.2),
        };

        var lexicon = LexiconTuner.Fit(tags, train, MoodLexicon.Hand, new LexiconTuner.Tuning(Lambda: 0.1, MinArtists: 2));
        var r = MoodCheck.Correlate("fitted", "train", lexicon, tags, train);

        Assert.True(lexicon.TryLookup("sunny", out var sunny));
        Assert.True(lexicon.TryLookup("gloomy", out var gloomy));
        Assert.True(sunny.Point.Valence > gloomy.Point.Valence);
        Assert.True(r.ValenceR > 0.9, $"valence r {r.ValenceR}");
        Assert.Equal(5, r.Artists);
    }
}

public sealed class MoodDiagnosticsTests
{
    private static readonly string[] Artists = ["a", "b", "c", "d"];

    [Fact]
    public void Split_half_agreement_is_perfect_when_every_track_of_an_artist_sounds_alike()
    {
        // Each artist's tracks share one mood, and the artists differ: both halves always agree.
        var tracks = Artists.SelectMany((artist, i) => Enumerable.Range(0, 3).Select(t => new MoodReferenceTrack(artist.ToUpperInvariant(), $"t{t}", i, -i)))
            .Append(new MoodReferenceTrack("lonely", "only one", 5, 5))
            .ToList();

        var reliability = MoodDiagnostics.SplitHalf(tracks, artist => artist != "d", seed: 1);

        Assert.Equal(3, reliability.Artists); // "d" is left out by the filter, "lonely" has a single track
        Assert.Equal(1.0, reliability.ValenceR, 12);
        Assert.Equal(1.0, reliability.ArousalR, 12);
    }

    [Fact]
    public void Split_half_agreement_is_negative_when_halves_disagree_by_construction()
    {
        // Two tracks per artist, at +x and -x: whichever half comes first, the halves mirror each other.
        var tracks = Artists.SelectMany((artist, i) => new[]
        {
            new MoodReferenceTrack(artist, "up", i + 1, i + 1), new MoodReferenceTrack(artist, "down", -(i + 1), -(i + 1)),
        }).ToList();

        var reliability = MoodDiagnostics.SplitHalf(tracks, _ => true, seed: 3);

        Assert.Equal(4, reliability.Artists);
        Assert.Equal(-1.0, reliability.ValenceR, 12);
    }

    [Fact]
    public void The_learning_curve_cross_validates_every_train_artist_and_learns_a_mood_the_tags_carry()
    {
        // 40 artists mixing "sunny" and "gloomy"; their valence is exactly the share of "sunny".
        var tags = new Dictionary<string, List<TagWeight>>(StringComparer.Ordinal);
        var train = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        for (var i = 0; i < 40; i++)
        {
            var sunny = 1 + (i % 10);
            var gloomy = 1 + ((i * 7) % 10);
            tags[$"artist {i}"] = [new("sunny", sunny), new("gloomy", gloomy)];
            train[$"artist {i}"] = ((double)sunny / (sunny + gloomy), 0.1 * (i % 3));
        }
        train["no tags"] = (0, 0);

        var curve = MoodDiagnostics.LearningCurve(tags, train, MoodLexicon.Hand, new LexiconTuner.Tuning(Lambda: 0.01, MinArtists: 2), [0.5, 1.0]);

        Assert.Equal([0.5, 1.0], curve.Select(c => c.Share));
        Assert.All(curve, c => Assert.Equal(40, c.Artists)); // each tagged artist predicted once, by a fit that never saw it
        Assert.Equal([16, 32], curve.Select(c => c.FitArtists)); // 4 folds of 5 fit on, halved or whole
        Assert.True(curve[^1].ValenceR > 0.95, $"valence r {curve[^1].ValenceR}");
    }

    [Fact]
    public void Evidence_buckets_partition_the_artists_by_tag_applications()
    {
        var tags = new Dictionary<string, List<TagWeight>>(StringComparer.Ordinal)
        {
            ["few"] = [new("sad", 2)], ["some"] = [new("happy", 6)], ["many"] = [new("happy", 90)], ["unknown"] = [new("zzz", 50)],
        };
        var applications = tags.ToDictionary(kv => kv.Key, kv => (int)kv.Value.Sum(t => t.Weight), StringComparer.Ordinal);
        var truth = tags.Keys.ToDictionary(k => k, _ => (0.0, 0.0), StringComparer.Ordinal);

        var buckets = MoodDiagnostics.ByEvidence(MoodLexicon.Hand, tags, applications, truth, [5, 20]);

        Assert.Equal([(0, 5), (6, 20), (21, int.MaxValue)], buckets.Select(b => (b.Least, b.Most)));
        Assert.Equal([1, 1, 1], buckets.Select(b => b.Artists)); // "unknown" has no word the lexicon knows, so it is not placed
        Assert.All(buckets, b => Assert.True(double.IsNaN(b.ValenceR))); // one artist per bucket: no correlation to take
    }
}
