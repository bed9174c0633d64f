using SpotMirror.Core.Group;

namespace SpotMirror.Core.Tests;

public sealed class GroupAggregatorTests
{
    //            c0   c1   c2   c3
    // Ana       1.0  0.9  0.1  0.5
    // Ben       1.0  0.8  0.1  0.5
    // Cleo      0.0  0.1  1.0  0.5
    private static readonly double[][] Table =
    [
        [1.0, 0.9, 0.1, 0.5],
        [1.0, 0.8, 0.1, 0.5],
        [0.0, 0.1, 1.0, 0.5],
    ];

    [Theory]
    // Average: c0 0.667, c1 0.6, c3 0.5, c2 0.4.
    [InlineData(GroupStrategy.Average, new[] { 0, 1 })]
    // Least misery: c3 0.5, then c1 and c2 tie at 0.1 and c1 wins on the mean.
    [InlineData(GroupStrategy.LeastMisery, new[] { 3, 1 })]
    // Without misery (< 0.2 for anyone): only c3 passes; the best of the rest by average fills the list.
    [InlineData(GroupStrategy.AverageWithoutMisery, new[] { 3, 0 })]
    // Products: c3 0.125, c1 0.072, c2 0.01, c0 0.
    [InlineData(GroupStrategy.Multiplicative, new[] { 3, 1 })]
    // Greedy: c0 gains 2.0 first; then Ana and Ben are served, so c2 gains 1.0 (Cleo) over c3's 0.5 and c1's 0.1.
    [InlineData(GroupStrategy.ProportionalFairness, new[] { 0, 2 })]
    public void Each_strategy_picks_the_hand_worked_list(GroupStrategy strategy, int[] expected) =>
        Assert.Equal(expected, GroupAggregator.Aggregate(Table, 2, strategy).Items);

    [Fact]
    public void Satisfaction_is_the_share_of_each_members_own_best_list()
    {
        var list = GroupAggregator.Aggregate(Table, 2, GroupStrategy.ProportionalFairness);

        // Ana: (1.0 + 0.1) / (1.0 + 0.9); Ben: 1.1 / 1.8; Cleo: (0 + 1.0) / (1.0 + 0.5).
        Assert.Equal([1.1 / 1.9, 1.1 / 1.8, 1.0 / 1.5], list.Satisfaction.Select(s => Math.Round(s, 12)), new ToleranceComparer());
    }

    [Fact]
    public void Proportional_fairness_serves_the_worst_off_member_far_better_than_averaging()
    {
        var average = GroupAggregator.Aggregate(Table, 2, GroupStrategy.Average);
        var fair = GroupAggregator.Aggregate(Table, 2, GroupStrategy.ProportionalFairness);

        Assert.Equal(0.1 / 1.5, average.Satisfaction.Min(), 9);
        Assert.True(fair.Satisfaction.Min() > 0.5);
    }

    [Fact]
    public void A_group_of_one_gets_their_own_best_list()
    {
        double[][] one = [[0.2, 0.9, 0.5, 1.0]];

        foreach (var strategy in Enum.GetValues<GroupStrategy>())
        {
            var list = GroupAggregator.Aggregate(one, 2, strategy);
            Assert.Equal([3, 1], list.Items);
            Assert.Equal(1.0, list.Satisfaction[0], 12);
        }
    }

    [Fact]
    public void Asking_for_more_than_the_pool_returns_the_whole_pool_once()
    {
        var list = GroupAggregator.Aggregate(Table, 10, GroupStrategy.ProportionalFairness);
        Assert.Equal([0, 1, 2, 3], list.Items.Order());
    }

    [Fact]
    public void An_empty_group_gets_an_empty_list_and_ragged_scores_are_refused()
    {
        Assert.Empty(GroupAggregator.Aggregate([], 5, GroupStrategy.Average).Items);
        double[][] ragged = [[1.0, 0.5], [1.0]];
        Assert.Throws<ArgumentException>(() => GroupAggregator.Aggregate(ragged, 1, GroupStrategy.Average));
    }

    private sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-9;

        public int GetHashCode(double obj) => 0;
    }
}
