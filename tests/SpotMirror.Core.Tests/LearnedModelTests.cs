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
    public void One_conjugate_gradient_step_is_the_hand_worked_step_and_two_are_the_exact_solve()
    {
        // A = [[4, 1], [1, 3]], b = [1, 2], x0 = 0: r = b, Ab = [6, 7], α = (bᵀb)/(bᵀAb) = 5/20, so x1 = b/4.
        // Two steps solve a 2 x 2 system exactly: A⁻¹b = 1/11 [3 - 2, -1 + 8] = [1/11, 7/11].
        var system = new DenseSystem([4, 1, 1, 3], 2);
        var one = new float[2];
        var two = new float[2];

        ConjugateGradient.Solve(system, [1, 2], one, steps: 1, new float[6]);
        ConjugateGradient.Solve(system, [1, 2], two, steps: 2, new float[6]);

        Assert.Equal([0.25f, 0.5f], one);
        Assert.Equal(1 / 11f, two[0], 5);
        Assert.Equal(7 / 11f, two[1], 5);
    }

    [Fact]
    public void A_warm_started_step_that_is_already_exact_stays_put()
    {
        var system = new DenseSystem([4, 1, 1, 3], 2);
        float[] x = [1 / 11f, 7 / 11f];

        ConjugateGradient.Solve(system, [1, 2], x, steps: 3, new float[6]);

        Assert.Equal(1 / 11f, x[0], 5);
        Assert.Equal(7 / 11f, x[1], 5);
    }

    [Fact]
    public void The_folded_in_user_is_regularised_by_their_like_count_plus_alpha0_times_the_items()
    {
        // k = 1, items h = 1, 2, 3 (HᵀH = 14); the user likes the first two. With α0 = 0.5 and λ = 0.1 the
        // ridge is λ(|I_u| + α0|I|) = 0.1 x (2 + 1.5) = 0.35, so w = (1 + 2) / (1 + 4 + 0.5 x 14 + 0.35) = 3 / 12.35.
        var settings = new ImplicitAlsSettings { Factors = 1, Alpha0 = 0.5, Lambda = 0.1 };
        var model = new ImplicitAlsModel(settings, [10, 20, 30], [1, 2, 3], [], [], [14], TimeSpan.Zero);

        var user = model.FoldIn([10, 20, 99]);

        Assert.Equal(0.35, ImplicitAls.Regularization(0.1, 2, 0.5, 3), 12);
        Assert.Equal(3 / 12.35f, user![0], 6);
        Assert.Null(model.FoldIn([99]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void After_a_fit_the_folded_in_user_equals_the_fitted_one(double unobservedPopularityExponent)
    {
        // With k no larger than the CG steps, each row's CG is an exact solve, and users are solved last; with
        // β > 0 the fold-in must use the same popularity-weighted Gramian as the fit.
        var settings = new ImplicitAlsSettings { Factors = 2, CgSteps = 3, Epochs = 5, Alpha0 = 0.1, Lambda = 0.05, UnobservedPopularityExponent = unobservedPopularityExponent };

        var model = ImplicitAls.Fit(Likes, settings);

        foreach (var (user, items) in Likes)
        {
            var fitted = model.FittedUser(user)!;
            var folded = model.FoldIn(items)!;
            for (var d = 0; d < 2; d++) Assert.Equal(fitted[d], folded[d], 4);
        }
    }

    [Fact]
    public void Unobserved_weights_grow_with_an_items_listeners_and_average_one()
    {
        // Listeners 1, 4 and 4; with β = 0.5 the raw weights are 1, 2 and 2, scaled by 3 / 5 to average one.
        int[] itemStarts = [0, 1, 5, 9];

        var weights = ImplicitAls.UnobservedWeights(itemStarts, 0.5)!;

        Assert.Equal([0.6f, 1.2f, 1.2f], weights.Select(w => MathF.Round(w, 5)));
        Assert.Null(ImplicitAls.UnobservedWeights(itemStarts, 0));
    }

    [Fact]
    public void Ials_learns_that_items_liked_together_predict_each_other()
    {
        var model = ImplicitAls.Fit(Likes, new ImplicitAlsSettings { Factors = 4, Epochs = 15, Alpha0 = 0.1, Lambda = 0.01 });
        var user = model.FoldIn([1])!;
        Score(model, user, 2, out var two);
        Score(model, user, 3, out var three);
        Score(model, user, 4, out var four);

        Assert.Equal(5, model.ItemCount);
        Assert.True(two > three && two > four, $"2: {two}, 3: {three}, 4: {four}");
        Assert.False(model.TryGetSlot(6, out _));
    }

    [Fact]
    public void A_warm_start_begins_from_the_previous_factors()
    {
        var settings = new ImplicitAlsSettings { Factors = 3, Epochs = 4 };
        var previous = ImplicitAls.Fit(Likes, settings);

        var resumed = ImplicitAls.Fit(Likes, settings with { Epochs = 0 }, previous);
        var cold = ImplicitAls.Fit(Likes, settings with { Epochs = 0, Seed = 7 });

        Assert.Equal(previous.ItemFactors.ToArray(), resumed.ItemFactors.ToArray());
        Assert.Equal(previous.UserFactors.ToArray(), resumed.UserFactors.ToArray());
        Assert.NotEqual(previous.ItemFactors.ToArray(), cold.ItemFactors.ToArray());
    }

    [Fact]
    public void A_cancelled_fit_stops()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ImplicitAls.Fit(Likes, new ImplicitAlsSettings { Factors = 2 }, null, cancelled.Token));
    }

    [Fact]
    public void An_empty_model_has_nothing_to_say()
    {
        var catalog = Catalog.CatalogIndex.Build(Enumerable.Range(1, 3).Select(i => Testing.Tracks.Make(i, $"Song {i}", $"Artist {i}", "rock")));
        var engine = new LearnedEngine();
        var taste = new Preferences.UserTaste(1, new Dictionary<long, double> { [1] = 1 }, new HashSet<long>());

        Assert.False(engine.Arrived);
        Assert.False(engine.Score(new ScoringContext(catalog, taste), new float[3]));
        Assert.Equal(ImplicitAlsModel.Empty, ImplicitAls.Fit([(1L, Array.Empty<long>())], new ImplicitAlsSettings()));
    }

    [Fact]
    public void An_item_nobody_liked_in_training_never_ranks_above_a_known_one()
    {
        var catalog = Catalog.CatalogIndex.Build(Enumerable.Range(1, 6).Select(i => Testing.Tracks.Make(i, $"Song {i}", $"Artist {i}", "rock")));
        var engine = new LearnedEngine();
        engine.Publish(ImplicitAls.Fit(Likes, new ImplicitAlsSettings { Factors = 4, Epochs = 10, Alpha0 = 0.5, Lambda = 0.1 }));
        var taste = new Preferences.UserTaste(1, new Dictionary<long, double> { [1] = 1 }, new HashSet<long>());
        var scores = new float[6];

        Assert.True(engine.Score(new ScoringContext(catalog, taste), scores));

        Assert.Equal(0f, scores[5]);
        Assert.All(scores[..5], s => Assert.True(s > 0));
    }

    [Fact]
    public void A_published_model_joins_the_hybrid_and_a_like_counts_in_the_next_answer()
    {
        var catalog = Catalog.CatalogIndex.Build(Enumerable.Range(1, 6).Select(i => Testing.Tracks.Make(i, $"Song {i}", $"Artist {i}", $"tag{i}")));
        using var matrix = new Preferences.PreferenceMatrix(new Preferences.PreferenceLearner(new Preferences.LearningOptions()), DateTimeOffset.UnixEpoch);
        var at = DateTimeOffset.UnixEpoch;
        var entries = new List<Preferences.PreferenceEntry>();
        for (var user = 1L; user <= 3; user++)
        {
            entries.Add(new(user, 1, 1, at, 0));
            entries.Add(new(user, 2, 1, at, 0));
            entries.Add(new(user + 10, 3, 1, at, 0));
            entries.Add(new(user + 10, 4, 1, at, 0));
        }
        matrix.Load(entries);
        var options = new Ranking.HybridOptions { Content = 0, LearnedFactors = 4, LearnedAlpha0 = 0.1, LearnedEpochs = 15 };
        var recommender = new Recommender(catalog, matrix, options);
        recommender.Learned.Publish(recommender.FitLearned(options.LearnedSettings()));

        matrix.Set([new Preferences.PreferenceEntry(9, 1, 1, at, 0)]);
        var afterOne = recommender.Recommend(new Ranking.RecommendationRequest { UserId = 9, Count = 1 })[0];
        matrix.Set([new Preferences.PreferenceEntry(9, 1, 0, at, 0), new(9, 3, 1, at, 0)]);
        var afterThree = recommender.Recommend(new Ranking.RecommendationRequest { UserId = 9, Count = 1 })[0];

        Assert.Equal(2, afterOne.Track.Id);
        Assert.Equal("often liked together with your favourites", afterOne.Reason);
        Assert.Equal(4, afterThree.Track.Id);
    }

    [Fact]
    public void A_users_vector_is_solved_once_until_their_row_or_the_model_changes()
    {
        var catalog = Catalog.CatalogIndex.Build(Enumerable.Range(1, 6).Select(i => Testing.Tracks.Make(i, $"Song {i}", $"Artist {i}", "rock")));
        using var matrix = new Preferences.PreferenceMatrix(new Preferences.PreferenceLearner(new Preferences.LearningOptions()), DateTimeOffset.UnixEpoch);
        matrix.Load(Likes.SelectMany(l => l.Items.Select(i => new Preferences.PreferenceEntry(l.User, i, 1, DateTimeOffset.UnixEpoch, 0))));
        var engine = new LearnedEngine();
        var settings = new ImplicitAlsSettings { Factors = 4, Epochs = 10 };
        engine.Publish(ImplicitAls.Fit(matrix.LikesByUserId(), settings));
        float[]? Vector() => engine.UserVector(new ScoringContext(catalog, matrix.TasteOf(1)), engine.Model);

        var first = Vector();
        var again = Vector();
        matrix.Set([new Preferences.PreferenceEntry(1, 5, 1, DateTimeOffset.UnixEpoch, 0)]);
        var afterLike = Vector();
        engine.Publish(ImplicitAls.Fit(matrix.LikesByUserId(), settings));
        var afterRefit = Vector();

        Assert.Same(first, again);
        Assert.NotSame(again, afterLike);
        Assert.NotEqual(again, afterLike);
        Assert.NotSame(afterLike, afterRefit);
    }

    [Fact]
    public void A_replaced_model_is_not_kept_alive_by_the_user_vectors_cached_for_it()
    {
        var catalog = Catalog.CatalogIndex.Build(Enumerable.Range(1, 6).Select(i => Testing.Tracks.Make(i, $"Song {i}", $"Artist {i}", "rock")));
        using var matrix = new Preferences.PreferenceMatrix(new Preferences.PreferenceLearner(new Preferences.LearningOptions()), DateTimeOffset.UnixEpoch);
        matrix.Load(Likes.SelectMany(l => l.Items.Select(i => new Preferences.PreferenceEntry(l.User, i, 1, DateTimeOffset.UnixEpoch, 0))));
        var engine = new LearnedEngine();
        var settings = new ImplicitAlsSettings { Factors = 4, Epochs = 3 };
        var old = PublishAndAsk(engine, settings, catalog, matrix);

        engine.Publish(ImplicitAls.Fit(matrix.LikesByUserId(), settings));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(old.IsAlive, "the old model is still reachable after the new one was published");
    }

    /// <summary>Fits and publishes a model and solves users 1 to 6 against it (so their vectors are cached); only a weak reference to the model leaves.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference PublishAndAsk(LearnedEngine engine, ImplicitAlsSettings settings, Catalog.CatalogIndex catalog, Preferences.PreferenceMatrix matrix)
    {
        var model = ImplicitAls.Fit(matrix.LikesByUserId(), settings);
        engine.Publish(model);
        for (var user = 1; user <= 6; user++) Assert.NotNull(engine.UserVector(new ScoringContext(catalog, matrix.TasteOf(user)), model));
        return new WeakReference(model);
    }

    [Theory]
    [InlineData(new long[] { 3, 7, 20, 41 })]
    [InlineData(new long[] { 41, 3, 20, 7 })]
    public void Each_item_is_found_in_its_slot_and_an_unknown_one_is_not_whether_the_ids_are_ascending_or_not(long[] items)
    {
        var factors = Enumerable.Range(0, items.Length).Select(i => (float)i).ToArray();
        var model = new ImplicitAlsModel(new ImplicitAlsSettings { Factors = 1 }, items, factors, [], [], [1], TimeSpan.Zero);

        for (var slot = 0; slot < items.Length; slot++)
        {
            Assert.True(model.TryGetSlot(items[slot], out var found));
            Assert.Equal(slot, found);
        }
        Assert.False(model.TryGetSlot(8, out _));
        Assert.False(model.TryGetSlot(42, out _));
        Assert.False(model.TryGetSlot(1, out _));
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

    /// <summary>Items 1 and 2 go together, 3 and 4 go together; 5 is liked once; 6 by nobody.</summary>
    private static readonly (long User, long[] Items)[] Likes =
        [(1, [1, 2]), (2, [1, 2]), (3, [1, 2, 5]), (4, [3, 4]), (5, [3, 4]), (6, [3, 4])];

    private static void Score(ImplicitAlsModel model, float[] user, long item, out float score)
    {
        Assert.True(model.TryGetSlot(item, out var slot));
        score = model.Score(user, slot);
    }

    private readonly struct DenseSystem(float[] a, int n) : ILinearSystem
    {
        public int Size => n;

        public void Multiply(ReadOnlySpan<float> x, Span<float> y)
        {
            for (var i = 0; i < n; i++) y[i] = System.Numerics.Tensors.TensorPrimitives.Dot(a.AsSpan(i * n, n), x);
        }
    }
}
