namespace SpotMirror.Core.Evaluation;

/// <summary>A user's items split into what a model may learn from and what it must find.</summary>
public sealed record Split(IReadOnlyDictionary<int, int[]> Train, IReadOnlyDictionary<int, int[]> Test);

/// <summary>
/// The evaluation protocol's split: for every user with at least <see cref="MinItems"/> items, a random
/// 20% (at least one) is held out, drawn with a seeded generator in user-id order so the same seed
/// gives the same split; users with fewer items keep all of theirs for training and are not evaluated.
/// </summary>
public static class Holdout
{
    public const int MinItems = 5;
    public const double Fraction = 0.2;

    public static Split Make(IReadOnlyDictionary<int, int[]> items, int seed)
    {
        var random = new Random(seed);
        var train = new Dictionary<int, int[]>(items.Count);
        var test = new Dictionary<int, int[]>();
        foreach (var user in items.Keys.Order())
        {
            var mine = items[user].Distinct().Order().ToArray();
            if (mine.Length < MinItems)
            {
                train[user] = mine;
                continue;
            }
            random.Shuffle(mine);
            var held = Math.Max(1, (int)Math.Round(mine.Length * Fraction, MidpointRounding.AwayFromZero));
            test[user] = [.. mine[..held].Order()];
            train[user] = [.. mine[held..].Order()];
        }
        return new Split(train, test);
    }
}
