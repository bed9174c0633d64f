using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;
using SpotMirror.Worker.Evaluation;

namespace SpotMirror.Worker.Tests;

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
