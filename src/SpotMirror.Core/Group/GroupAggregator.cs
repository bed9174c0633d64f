using System.Runtime.CompilerServices;

namespace SpotMirror.Core.Group;

/// <summary>How a group's individual scores become one list.</summary>
public enum GroupStrategy
{
    /// <summary>The mean of the members' scores.</summary>
    Average,
    /// <summary>The lowest member score: nobody hates it.</summary>
    LeastMisery,
    /// <summary>The mean, among items every member scores at least the misery threshold.</summary>
    AverageWithoutMisery,
    /// <summary>The product of the members' scores.</summary>
    Multiplicative,
    /// <summary>
    /// Greedy proportional fairness (after GFAR, Kaya et al. 2020): each next item adds the most to the
    /// chance that each member not yet served finds something they like in the list, with each member's
    /// chances read from their own ranking (Borda points over their top 10).
    /// </summary>
    ProportionalFairness,
}

/// <summary>A group list: the chosen candidates in order, and how well the list serves each member (0..1).</summary>
public sealed record GroupList(IReadOnlyList<int> Items, IReadOnlyList<double> Satisfaction);

/// <summary>
/// Aggregates per-member predicted scores over a shared candidate pool. Scores are expected in [0, 1]
/// (each member's scores divided by their best); a member's satisfaction is the sum of their scores over
/// the chosen items divided by the sum over their own best k, so 1 means "as good as my own list".
/// </summary>
public static class GroupAggregator
{
    public const double MiseryThreshold = 0.2;

    /// <summary>How deep into each member's own ranking proportional fairness looks.</summary>
    public const int BordaDepth = 10;

    /// <param name="scores">scores[member][candidate], each in [0, 1].</param>
    /// <param name="weights">
    /// How much each member counts (default 1 each): a member who came off worst last time weighs more, so
    /// proportional fairness serves them first and the averages lean their way. Least misery and the
    /// product have no natural weighting and ignore it.
    /// </param>
    public static GroupList Aggregate(IReadOnlyList<double[]> scores, int k, GroupStrategy strategy, IReadOnlyList<double>? weights = null)
    {
        if (scores.Count == 0) return new GroupList([], []);
        var candidates = scores[0].Length;
        if (scores.Any(s => s.Length != candidates)) throw new ArgumentException("Every member needs a score for every candidate.", nameof(scores));
        if (weights is not null && (weights.Count != scores.Count || weights.Any(w => !(w > 0))))
        {
            throw new ArgumentException("One positive weight per member.", nameof(weights));
        }
        var w = weights ?? Enumerable.Repeat(1.0, scores.Count).ToArray();
        k = Math.Min(k, candidates);
        var items = strategy == GroupStrategy.ProportionalFairness
            ? Greedy(scores.Select(BordaChance).ToList(), w, k)
            : Enumerable.Range(0, candidates)
                .Select(c => (Item: c, Score: Value(scores, w, c, strategy)))
                .Where(x => !double.IsNegativeInfinity(x.Score))
                .OrderByDescending(x => x.Score).ThenByDescending(x => Mean(scores, x.Item)).ThenBy(x => x.Item)
                .Select(x => x.Item)
                .Take(k)
                .ToList();
        if (items.Count < k)
        {
            // Too few items pass the misery test: the best of the rest by average fill the list.
            items.AddRange(Enumerable.Range(0, candidates).Except(items).OrderByDescending(c => Mean(scores, c)).ThenBy(c => c).Take(k - items.Count));
        }
        return new GroupList(items, scores.Select(s => Satisfaction(s, items, k)).ToList());
    }

    public static double Satisfaction(double[] memberScores, IReadOnlyList<int> items, int k)
    {
        var ideal = memberScores.OrderDescending().Take(k).Sum();
        return ideal <= 0 ? 0 : items.Sum(i => memberScores[i]) / ideal;
    }

    private static double Value(IReadOnlyList<double[]> scores, IReadOnlyList<double> weights, int c, GroupStrategy strategy) => strategy switch
    {
        GroupStrategy.Average => WeightedMean(scores, weights, c),
        GroupStrategy.LeastMisery => scores.Min(s => s[c]),
        GroupStrategy.AverageWithoutMisery => scores.All(s => s[c] >= MiseryThreshold) ? WeightedMean(scores, weights, c) : double.NegativeInfinity,
        GroupStrategy.Multiplicative => scores.Aggregate(1.0, (product, s) => product * s[c]),
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };

    private static double Mean(IReadOnlyList<double[]> scores, int c) => scores.Average(s => s[c]);

    private static double WeightedMean(IReadOnlyList<double[]> scores, IReadOnlyList<double> weights, int c)
    {
        double sum = 0, total = 0;
        for (var m = 0; m < scores.Count; m++)
        {
            sum += weights[m] * scores[m][c];
            total += weights[m];
        }
        return sum / total;
    }

    /// <summary>
    /// A member's chance of liking a candidate, as GFAR estimates it: Borda points over their own top
    /// BordaDepth of the pool (1 for their best, falling in equal steps to 1/BordaDepth), 0 beyond. Ranks,
    /// not raw scores, because predicted scores are not calibrated across members: one member's 0.8 is
    /// another's 0.3. `eval group` chose the depth (5, 10 and 20 tried; 10 served the worst-off best).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] BordaChance(double[] memberScores)
    {
        var order = Enumerable.Range(0, memberScores.Length).OrderByDescending(i => memberScores[i]).ThenBy(i => i).ToArray();
        var chance = new double[memberScores.Length];
        for (var rank = 0; rank < Math.Min(BordaDepth, order.Length); rank++)
        {
            if (memberScores[order[rank]] > 0) chance[order[rank]] = (BordaDepth - rank) / (double)BordaDepth;
        }
        return chance;
    }

    /// <summary>
    /// Each step takes the item with the largest Σ_m w_m × p(m, item) × Π_{chosen j} (1 − p(m, j)): the (weighted) gain in the
    /// probability that member m likes at least one item of the list, summed over members.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<int> Greedy(List<double[]> scores, IReadOnlyList<double> weights, int k)
    {
        var candidates = scores[0].Length;
        var unserved = Enumerable.Repeat(1.0, scores.Count).ToArray();
        var chosen = new List<int>(k);
        var taken = new bool[candidates];
        for (var step = 0; step < k; step++)
        {
            var best = -1;
            var bestGain = double.NegativeInfinity;
            for (var c = 0; c < candidates; c++)
            {
                if (taken[c]) continue;
                var gain = 0.0;
                for (var m = 0; m < scores.Count; m++) gain += weights[m] * scores[m][c] * unserved[m];
                if (gain > bestGain + 1e-12 || (Math.Abs(gain - bestGain) <= 1e-12 && Mean(scores, c) > Mean(scores, best)))
                {
                    (best, bestGain) = (c, gain);
                }
            }
            taken[best] = true;
            chosen.Add(best);
            for (var m = 0; m < scores.Count; m++) unserved[m] *= 1 - scores[m][best];
        }
        return chosen;
    }
}
