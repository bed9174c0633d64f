using SpotMirror.Core.Ranking;

namespace SpotMirror.Core.Tests;

public class TopKTests
{
    private static readonly float[] Scores = [0.5f, 0.9f, 0.5f, 0.1f, 0.9f];

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(2, new[] { 1, 4 })]           // tie at 0.9: lower index first
    [InlineData(3, new[] { 1, 4, 0 })]        // tie at 0.5: item 0 kept over item 2
    [InlineData(5, new[] { 1, 4, 0, 2, 3 })]
    [InlineData(9, new[] { 1, 4, 0, 2, 3 })]  // more asked than there are
    [InlineData(0, new int[0])]
    public void Best_first_with_ties_to_the_lower_index(int k, int[] expected)
    {
        Assert.Equal(expected, TopK.Select(Scores, k));
    }

    [Fact]
    public void Filter_removes_items_before_selection()
    {
        // Callers filter by marking items negative infinity, as the hybrid does.
        var filtered = Scores.ToArray();
        filtered[0] = filtered[1] = float.NegativeInfinity;
        Assert.Equal([4, 2], TopK.Select(filtered, 2));
    }

    [Fact]
    public void Negative_infinity_is_never_selected()
    {
        float[] scores = [float.NegativeInfinity, 0f, -1f, float.NegativeInfinity];

        Assert.Equal([1, 2], TopK.Select(scores, 4));
    }

    [Fact]
    public void All_equal_scores_come_back_in_index_order()
    {
        Assert.Equal([0, 1, 2], TopK.Select(new float[6], 3));
    }
}
