using SpotMirror.Core;
using SpotMirror.Core.Evaluation;
using SpotMirror.Core.Group;
using SpotMirror.UseCases;

namespace SpotMirror.Evaluation;

/// <summary>One strategy on one kind and size of group; AllServedShare is the share of groups where every member had a hit.</summary>
public sealed record GroupFigures(string Kind, int Size, GroupStrategy Strategy, double MeanNdcg, double WorstNdcg, double NoHitShare, double AllServedShare, int Groups);

/// <summary>
/// Groups drawn from the evaluated HetRec users (random, or a user with their nearest neighbours by
/// cosine of training sets), the bot's own group pool and member scores (GroupPlaylistUseCase), one list
/// of 10 per strategy, and each member's NDCG@10 against their
/// own held-out artists. Reported: the mean member NDCG, the worst member's, and the share with no hit.
/// </summary>
public static class GroupEvaluation
{
    public const int ListLength = 10;
    public static readonly int[] Sizes = [2, 4, 8];

    public static IReadOnlyList<GroupFigures> Run(Recommender recommender, Split split, int seed, int groupsPerCell, IProgress<int>? progress = null)
    {
        var users = split.Test.Keys.Order().ToArray();
        var trainSets = split.Train.ToDictionary(kv => kv.Key, kv => kv.Value.ToHashSet());
        var random = new Random(seed);
        var figures = new List<GroupFigures>();
        var done = 0;
        foreach (var kind in new[] { "random", "similar" })
        {
            foreach (var size in Sizes)
            {
                var sums = Enum.GetValues<GroupStrategy>().ToDictionary(s => s, _ => (Mean: 0.0, Worst: 0.0, NoHit: 0.0, AllServed: 0.0));
                for (var g = 0; g < groupsPerCell; g++)
                {
                    var members = kind == "random" ? Random(users, size, random) : Similar(users, trainSets, size, random);
                    foreach (var (strategy, result) in Evaluate(recommender, split, trainSets, members))
                    {
                        var s = sums[strategy];
                        sums[strategy] = (s.Mean + result.Mean, s.Worst + result.Worst, s.NoHit + result.NoHit, s.AllServed + (result.Worst > 0 ? 1 : 0));
                    }
                    progress?.Report(++done);
                }
                figures.AddRange(sums.Select(kv => new GroupFigures(kind, size, kv.Key,
                    kv.Value.Mean / groupsPerCell, kv.Value.Worst / groupsPerCell, kv.Value.NoHit / groupsPerCell, kv.Value.AllServed / groupsPerCell, groupsPerCell)));
            }
        }
        return figures;
    }

    private static IEnumerable<(GroupStrategy, (double Mean, double Worst, double NoHit))> Evaluate(
        Recommender recommender, Split split, Dictionary<int, HashSet<int>> trainSets, int[] members)
    {
        var catalog = recommender.Catalog;
        // The bot's own pool and member scores; the protocol only leaves out what a member already knows.
        var known = members.SelectMany(m => trainSets[m]).Select(id => (long)id).ToHashSet();
        var pool = GroupPlaylistUseCase.Pool(recommender, members.Select(m => (long)m).ToList(), mood: null, exclude: known);
        foreach (var strategy in Enum.GetValues<GroupStrategy>())
        {
            var chosen = GroupPlaylistUseCase.Choose(pool, ListLength, strategy).Items
                .Select(i => catalog.TryGetItem(pool.Tracks[i], out var item) ? item : -1).ToList();
            var ndcg = members.Select(m => RankingMetrics.NdcgAt(chosen, Relevant(catalog, split.Test[m]), ListLength)).ToList();
            yield return (strategy, (ndcg.Average(), ndcg.Min(), ndcg.Count(n => n == 0) / (double)ndcg.Count));
        }
    }

    private static HashSet<int> Relevant(Core.Catalog.CatalogIndex catalog, int[] artists) =>
        artists.Select(a => catalog.TryGetItem(a, out var item) ? item : -1).Where(i => i >= 0).ToHashSet();

    private static int[] Random(int[] users, int size, Random random)
    {
        var copy = (int[])users.Clone();
        random.Shuffle(copy);
        return copy[..size];
    }

    /// <summary>A random user and the size - 1 evaluated users whose training sets are closest by cosine.</summary>
    private static int[] Similar(int[] users, Dictionary<int, HashSet<int>> trainSets, int size, Random random)
    {
        var seed = users[random.Next(users.Length)];
        var mine = trainSets[seed];
        var nearest = users.Where(u => u != seed)
            .Select(u => (User: u, Cosine: mine.Count(trainSets[u].Contains) / Math.Sqrt((double)mine.Count * Math.Max(1, trainSets[u].Count))))
            .OrderByDescending(x => x.Cosine).ThenBy(x => x.User)
            .Take(size - 1)
            .Select(x => x.User);
        return [seed, .. nearest];
    }
}
