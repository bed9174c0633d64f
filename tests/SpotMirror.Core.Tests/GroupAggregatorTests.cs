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
    // Greedy over Borda chances (depth 10, so a 4-item pool scores 1, 0.9, 0.8, 0.7 by each member's rank; Cleo's
    // 0.0 for c0 stays 0): c1 gains 0.9 + 0.9 + 0.8 = 2.6 first. Then Ana and Ben are 0.1 unserved and Cleo 0.2:
    // c2 and c3 both gain 0.34, and c3 wins on the mean score.
    [InlineData(GroupStrategy.ProportionalFairness, new[] { 1, 3 })]
    public void Each_strategy_picks_the_hand_worked_list(GroupStrategy strategy, int[] expected) =>
        Assert.Equal(expected, GroupAggregator.Aggregate(Table, 2, strategy).Items);

    [Fact]
    public void Satisfaction_is_the_share_of_each_members_own_best_list()
    {
        var list = GroupAggregator.Aggregate(Table, 2, GroupStrategy.ProportionalFairness);

        // Items c1 and c3. Ana: (0.9 + 0.5) / (1.0 + 0.9); Ben: 1.3 / 1.8; Cleo: (0.1 + 0.5) / (1.0 + 0.5).
        Assert.Equal([1.4 / 1.9, 1.3 / 1.8, 0.6 / 1.5], list.Satisfaction.Select(s => Math.Round(s, 12)), new ToleranceComparer());
    }

    [Fact]
    public void Proportional_fairness_serves_the_worst_off_member_far_better_than_averaging()
    {
        var average = GroupAggregator.Aggregate(Table, 2, GroupStrategy.Average);
        var fair = GroupAggregator.Aggregate(Table, 2, GroupStrategy.ProportionalFairness);

        Assert.Equal(0.1 / 1.5, average.Satisfaction.Min(), 9);
        Assert.Equal(0.6 / 1.5, fair.Satisfaction.Min(), 9);
    }

    [Fact]
    public void Borda_chances_fall_in_equal_steps_over_a_members_top_ten_and_are_zero_beyond()
    {
        var scores = Enumerable.Range(0, 12).Select(i => 1.0 - (i * 0.05)).Reverse().ToArray();
        scores[0] = 0;

        var chance = GroupAggregator.BordaChance(scores);

        // Index 11 holds the best score, index 2 the tenth best; 1 and 0 are beyond the top ten.
        Assert.Equal(1.0, chance[11], 12);
        Assert.Equal(0.9, chance[10], 12);
        Assert.Equal(0.1, chance[2], 12);
        Assert.Equal(0.0, chance[1]);
        Assert.Equal(0.0, chance[0]);
    }

    [Fact]
    public void A_member_who_likes_nothing_in_the_pool_has_no_chance_anywhere()
    {
        Assert.All(GroupAggregator.BordaChance([0.0, 0.0, 0.0]), c => Assert.Equal(0.0, c));
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
