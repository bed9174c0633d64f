using SpotMirror.Core.Preferences;

namespace SpotMirror.Core.Tests;

public class PreferenceLearnerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HalfLife = TimeSpan.FromDays(90);
    private readonly PreferenceLearner _learner = new(new LearningOptions());

    [Theory]
    [InlineData(FeedbackSignal.Like, true, false, 1.0)]
    [InlineData(FeedbackSignal.Love, true, false, 2.0)]
    [InlineData(FeedbackSignal.Dislike, true, false, -2.0)]
    [InlineData(FeedbackSignal.Skip, true, false, -0.5)]
    [InlineData(FeedbackSignal.Like, false, false, 0.35)]     // 1 * 0.35 reply-wide
    [InlineData(FeedbackSignal.Love, false, false, 0.7)]      // 2 * 0.35
    [InlineData(FeedbackSignal.Dislike, false, false, -0.7)]  // -2 * 0.35
    [InlineData(FeedbackSignal.Like, true, true, 0.5)]        // 1 * 0.5 group
    [InlineData(FeedbackSignal.Dislike, true, true, -1.0)]    // -2 * 0.5
    [InlineData(FeedbackSignal.Love, false, true, 0.35)]      // 2 * 0.35 * 0.5
    [InlineData(FeedbackSignal.Skip, false, true, -0.0875)]   // -0.5 * 0.35 * 0.5
    public void Weight_of_a_signal_applies_reply_wide_and_group_factors(FeedbackSignal signal, bool fullWeight, bool group, double expected)
    {
        Assert.Equal(expected, _learner.WeightOf(signal, fullWeight, group), 10);
    }

    [Fact]
    public void Weights_follow_the_options()
    {
        var learner = new PreferenceLearner(new LearningOptions { Like = 3, ReplyWideFactor = 0.5, GroupFactor = 0.25 });

        Assert.Equal(3.0 * 0.5 * 0.25, learner.WeightOf(FeedbackSignal.Like, fullWeight: false, groupContext: true), 10);
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(-30, 1.0)]   // clock skew never grows a score
    [InlineData(90, 0.5)]
    [InlineData(180, 0.25)]
    [InlineData(45, 0.7071067811865476)] // 2^-0.5
    public void Decay_halves_every_half_life(double days, double expected)
    {
        Assert.Equal(expected, _learner.Decay(TimeSpan.FromDays(days)), 10);
    }

    [Fact]
    public void Scale_moves_a_score_both_ways_in_time()
    {
        Assert.Equal(2.0, _learner.Scale(HalfLife), 10);
        Assert.Equal(0.5, _learner.Scale(-HalfLife), 10);
    }

    [Fact]
    public void Apply_decays_the_old_score_before_adding()
    {
        var current = new PreferenceEntry(1, 7, 4.0, T0, 0);

        var next = _learner.Apply(current, 1.0, 0, T0 + HalfLife);

        // 4 halves to 2 over one half-life, then + 1.
        Assert.Equal(3.0, next.Score, 10);
        Assert.Equal(T0 + HalfLife, next.UpdatedAt);
        Assert.Equal(1, next.UserId);
        Assert.Equal(7, next.TrackId);
    }

    [Fact]
    public void Apply_counts_hard_dislikes_and_never_below_zero()
    {
        var start = new PreferenceEntry(1, 7, 0, T0, 0);

        var hidden = _learner.Apply(start, -2, +1, T0);
        var shown = _learner.Apply(hidden, 2, -1, T0);
        var extra = _learner.Apply(shown, 0, -1, T0);

        Assert.True(hidden.Hidden);
        Assert.False(shown.Hidden);
        Assert.Equal(0, extra.HardDislikes);
        Assert.True(PreferenceLearner.IsEmpty(shown));
    }

    [Fact]
    public void Undo_of_a_delta_added_one_half_life_ago_takes_back_half()
    {
        Assert.Equal(-1.0, _learner.Undo(2.0, T0, T0 + HalfLife), 10);
        Assert.Equal(1.0, _learner.Undo(-1.0, T0, T0), 10);
    }

    [Fact]
    public void Undo_brings_the_score_back_to_zero()
    {
        var liked = _learner.Apply(new PreferenceEntry(1, 7, 0, T0, 0), 2.0, 0, T0);

        var now = T0 + TimeSpan.FromDays(37);
        var undone = _learner.Apply(liked, _learner.Undo(2.0, T0, now), 0, now);

        Assert.True(PreferenceLearner.IsEmpty(undone));
    }

    [Theory]
    [InlineData(FeedbackSignal.Dislike, true, true)]
    [InlineData(FeedbackSignal.Dislike, false, false)]
    [InlineData(FeedbackSignal.Skip, true, false)]
    [InlineData(FeedbackSignal.Like, true, false)]
    [InlineData(FeedbackSignal.Love, true, false)]
    public void Only_a_full_weight_dislike_hides(FeedbackSignal signal, bool fullWeight, bool hides)
    {
        Assert.Equal(hides, PreferenceLearner.Hides(signal, fullWeight));
    }

    [Theory]
    [InlineData(0.0, 0, true)]
    [InlineData(1e-12, 0, true)]
    [InlineData(0.01, 0, false)]
    [InlineData(0.0, 1, false)]
    public void Empty_entry_has_no_score_and_hides_nothing(double score, int hardDislikes, bool empty)
    {
        Assert.Equal(empty, PreferenceLearner.IsEmpty(new PreferenceEntry(1, 1, score, T0, hardDislikes)));
    }
}
