using SpotMirror.Core.Engines;
using SpotMirror.Core.Numerics;

namespace SpotMirror.Core.Tests;

public sealed class LearnedModelTests
{
    [Fact]
    public void Cholesky_inverts_a_hand_worked_two_by_two()
    {
        // [[4, 2], [2, 3]]⁻¹ = 1/8 [[3, -2], [-2, 4]].
        double[] a = [4, 2, 2, 3];

        Cholesky.Invert(a, 2);

        Assert.Equal([0.375, -0.25, -0.25, 0.5], a.Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void Cholesky_inverse_times_the_matrix_is_the_identity()
    {
        const int n = 40;
        var random = new Random(3);
        var m = Enumerable.Range(0, n * n).Select(_ => random.NextDouble()).ToArray();
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                for (var k = 0; k < n; k++) a[(i * n) + j] += m[(i * n) + k] * m[(j * n) + k];
            }
            a[(i * n) + i] += 1;
        }
        var inverse = (double[])a.Clone();

        Cholesky.Invert(inverse, n);

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < n; k++) sum += a[(i * n) + k] * inverse[(k * n) + j];
                Assert.Equal(i == j ? 1 : 0, sum, 9);
            }
        }
    }

    [Fact]
    public void A_matrix_that_is_not_positive_definite_is_refused()
    {
        double[] a = [1, 2, 2, 1];
        Assert.Throws<InvalidOperationException>(() => Cholesky.Factor(a, 2));
    }

    [Fact]
    public void Ease_learns_that_items_liked_together_predict_each_other()
    {
        // Items 1 and 2 always go together; 3 and 4 go together; 5 is liked by one user only.
        long[][] users = [[1, 2], [1, 2], [1, 2, 5], [3, 4], [3, 4], [3, 4]];

        var model = EaseModel.Fit(users, lambda: 1, minUsers: 2);
        var scores = new float[5];
        model.Score([(1L, 1.0)], id => (int)id - 1, scores);

        Assert.Equal(4, model.ItemCount);
        Assert.True(scores[1] > 0.3f, $"2 given 1: {scores[1]}");
        Assert.True(scores[1] > scores[2] && scores[1] > scores[3]);
        Assert.Equal(0f, scores[0]); // the diagonal is zero: an item does not recommend itself
        Assert.Equal(0f, scores[4]); // too few users: item 5 is not in the model
    }

    [Fact]
    public void An_empty_model_has_nothing_to_say()
    {
        var scores = new float[3];
        Assert.False(EaseModel.Empty.Score([(1L, 1.0)], _ => 0, scores));
        Assert.False(EaseModel.Fit([[1L]], 10, minUsers: 2).Score([(1L, 1.0)], _ => 0, scores));
    }

    [Fact]
    public void A_published_model_joins_the_hybrid_and_names_its_reason()
    {
        var catalog = Catalog.CatalogIndex.Build(Enumerable.Range(1, 6).Select(i => Testing.Tracks.Make(i, $"Song {i}", $"Artist {i}", $"tag{i}")));
        using var matrix = new Preferences.PreferenceMatrix(new Preferences.PreferenceLearner(new Preferences.LearningOptions()), DateTimeOffset.UnixEpoch);
        var at = DateTimeOffset.UnixEpoch;
        var entries = new List<Preferences.PreferenceEntry> { new(9, 1, 1, at, 0) };
        for (var user = 1L; user <= 3; user++)
        {
            entries.Add(new(user, 1, 1, at, 0));
            entries.Add(new(user, 2, 1, at, 0));
        }
        matrix.Load(entries);
        var recommender = new Recommender(catalog, matrix, new Ranking.HybridOptions { Content = 0, LearnedLambda = 1, LearnedMinUsers = 2 });

        recommender.Learned.Publish(recommender.FitLearned(1, 2));
        var top = recommender.Recommend(new Ranking.RecommendationRequest { UserId = 9, Count = 1 })[0];

        Assert.Equal(2, top.Track.Id);
        Assert.Equal("often liked together with your favourites", top.Reason);
    }

    [Fact]
    public void Predictions_for_a_pool_are_the_scores_the_ranker_blends()
    {
        var catalog = Catalog.CatalogIndex.Build(Enumerable.Range(1, 6).Select(i => Testing.Tracks.Make(i, $"Song {i}", $"Artist {i}", "rock", $"tag{i % 2}")));
        using var matrix = new Preferences.PreferenceMatrix(new Preferences.PreferenceLearner(new Preferences.LearningOptions()), DateTimeOffset.UnixEpoch);
        matrix.Load([new Preferences.PreferenceEntry(1, 1, 1, DateTimeOffset.UnixEpoch, 0)]);
        var recommender = new Recommender(catalog, matrix, new Ranking.HybridOptions());

        var ranked = recommender.Recommend(new Ranking.RecommendationRequest { UserId = 1, Count = 3 });
        var predicted = recommender.Predict(1, [.. ranked.Select(r => r.Track.Id), 999]);

        Assert.Equal(ranked.Select(r => r.Score), predicted.Take(3));
        Assert.Equal(0f, predicted[3]);
    }
}
