using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Preferences;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

public sealed class UserKnnTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Every entry is given at the epoch, so the scaled score equals the score.
    //   user 1 (me): t1 +1, t2 +1
    //   user 2:      t1 +1, t2 +1, t3 +1     dot 2, cos = 2 / (sqrt2 * sqrt3) = 0.816497
    //   user 3:      t1 +1, t4 +1            dot 1, cos = 1 / (sqrt2 * sqrt2) = 0.5
    //   user 4:      t5 +1                   shares nothing: no neighbour
    //   user 5:      t2 -1, t6 +1            dot -1: never a neighbour
    private readonly PreferenceMatrix _matrix = new(new PreferenceLearner(new LearningOptions()), Epoch);
    private readonly CatalogIndex _catalog = CatalogIndex.Build(
        Enumerable.Range(1, 6).Select(i => Tracks.Make(i, $"Song{i}", $"Artist{i}", "rock")));

    public UserKnnTests()
    {
        _matrix.Load(
        [
            Entry(1, 1, 1), Entry(1, 2, 1),
            Entry(2, 1, 1), Entry(2, 2, 1), Entry(2, 3, 1),
            Entry(3, 1, 1), Entry(3, 4, 1),
            Entry(4, 5, 1),
            Entry(5, 2, -1), Entry(5, 6, 1),
        ]);
    }

    public void Dispose() => _matrix.Dispose();

    private static PreferenceEntry Entry(long user, long track, double score) => new(user, track, score, Epoch, 0);

    private float[] ScoresFor(long user, int neighbours = 50)
    {
        var scores = new float[_catalog.Count];
        var context = new ScoringContext(_catalog, _matrix.TasteOf(user));
        Assert.True(new UserKnnEngine(_matrix, neighbours).Score(context, scores));
        return scores;
    }

    [Fact]
    public void Neighbour_similarities_are_the_hand_worked_cosines()
    {
        // Dots of user 1 with the others, by hand from the table above.
        var dots = new Dictionary<long, double> { [2] = 2, [3] = 1, [5] = -1 };

        var nearest = _matrix.Read((rows, _) => UserKnnEngine.NearestNeighbours(dots, rows, Math.Sqrt(2), 10));

        Assert.Equal(2, nearest.Count);
        Assert.Equal(2, nearest[0].UserId);
        Assert.Equal(0.816497, nearest[0].Similarity, 5);
        Assert.Equal(3, nearest[1].UserId);
        Assert.Equal(0.5, nearest[1].Similarity, 5);
    }

    [Fact]
    public void Track_scores_are_similarity_times_neighbour_score()
    {
        var scores = ScoresFor(1);

        // t3 only from user 2: 0.816497 * 1; t4 only from user 3: 0.5 * 1.
        Assert.Equal(0.816497f, scores[2], 4);
        Assert.Equal(0.5f, scores[3], 4);
        // t1 from both: 0.816497 + 0.5.
        Assert.Equal(1.316497f, scores[0], 4);
    }

    [Fact]
    public void Track_liked_only_by_the_nearest_neighbour_beats_one_liked_only_by_a_far_one()
    {
        var scores = ScoresFor(1);

        Assert.True(scores[2] > scores[3]);
    }

    [Fact]
    public void Users_sharing_nothing_or_disagreeing_contribute_nothing()
    {
        var scores = ScoresFor(1);

        Assert.Equal(0f, scores[4]); // t5: user 4 shares no track with user 1
        Assert.Equal(0f, scores[5]); // t6: user 5 has a negative dot
    }

    [Fact]
    public void One_neighbour_keeps_only_the_nearest()
    {
        var scores = ScoresFor(1, neighbours: 1);

        Assert.Equal(0.816497f, scores[2], 4);
        Assert.Equal(0f, scores[3]);
        Assert.Equal(0.816497f, scores[0], 4);
    }

    [Fact]
    public void Equal_similarities_keep_the_lower_user_id()
    {
        // Users 3, 7 and 8 each hold two tracks at +1 (norm sqrt2).
        _matrix.Load([Entry(7, 4, 1), Entry(7, 5, 1), Entry(8, 4, 1), Entry(8, 6, 1)]);
        var dots = new Dictionary<long, double> { [8] = 1, [7] = 1, [3] = 1 };

        var nearest = _matrix.Read((rows, _) => UserKnnEngine.NearestNeighbours(dots, rows, 1, 1));

        // A dot of 1 against a norm-1 query: 1 / sqrt2 for all three; the lowest id wins the tie.
        Assert.Single(nearest);
        Assert.Equal(3, nearest[0].UserId);
    }

    [Fact]
    public void User_without_history_gets_no_collaborative_scores()
    {
        var scores = new float[_catalog.Count];
        var context = new ScoringContext(_catalog, _matrix.TasteOf(42));

        Assert.False(new UserKnnEngine(_matrix).Score(context, scores));
        Assert.All(scores, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void User_with_no_neighbours_gets_no_collaborative_scores()
    {
        var scores = new float[_catalog.Count];

        // User 4 only holds t5, which nobody else rated.
        Assert.False(new UserKnnEngine(_matrix).Score(new ScoringContext(_catalog, _matrix.TasteOf(4)), scores));
    }

    [Fact]
    public void A_user_asked_after_another_on_the_same_thread_gets_the_scores_they_get_alone()
    {
        float[] alone = [];
        var thread = new Thread(() => alone = ScoresFor(3));
        thread.Start();
        thread.Join();

        ScoresFor(1);
        var after = ScoresFor(3);

        Assert.Equal(alone, after);
    }
}
