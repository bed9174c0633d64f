namespace SpotMirror.Core.Preferences;

/// <summary>What a person's feedback says about a track.</summary>
public enum FeedbackSignal
{
    Like,
    Love,
    Dislike,
    Skip,
}

/// <summary>One user's learned score for one track, as stored: the score as of UpdatedAt, before decay since then.</summary>
public readonly record struct PreferenceEntry(long UserId, long TrackId, double Score, DateTimeOffset UpdatedAt, int HardDislikes)
{
    /// <summary>A full-weight dislike hides the track from this user until it is taken back.</summary>
    public bool Hidden => HardDislikes > 0;
}

/// <summary>Weights of each signal, the reduction for whole-reply and group feedback, and the half-life of a preference.</summary>
public sealed record LearningOptions
{
    public double Like { get; init; } = 1.0;
    public double Love { get; init; } = 2.0;
    public double Dislike { get; init; } = -2.0;
    public double Skip { get; init; } = -0.5;
    /// <summary>A reaction on a whole reply speaks for each of its tracks at this fraction of full weight.</summary>
    public double ReplyWideFactor { get; init; } = 0.35;
    /// <summary>Feedback given on a group playlist counts at this fraction.</summary>
    public double GroupFactor { get; init; } = 0.5;
    public double HalfLifeDays { get; init; } = 90;
}

/// <summary>Turns signals into score deltas with exponential time decay; every rule of preference learning lives here.</summary>
public sealed class PreferenceLearner(LearningOptions options)
{
    public LearningOptions Options { get; } = options;

    public double WeightOf(FeedbackSignal signal, bool fullWeight, bool groupContext = false)
    {
        var weight = signal switch
        {
            FeedbackSignal.Like => Options.Like,
            FeedbackSignal.Love => Options.Love,
            FeedbackSignal.Dislike => Options.Dislike,
            FeedbackSignal.Skip => Options.Skip,
            _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, null),
        };
        if (!fullWeight) weight *= Options.ReplyWideFactor;
        if (groupContext) weight *= Options.GroupFactor;
        return weight;
    }

    public static bool Hides(FeedbackSignal signal, bool fullWeight) => signal == FeedbackSignal.Dislike && fullWeight;

    /// <summary>2^(-elapsed / half-life); 1 for no time or negative time (clock skew never grows a score).</summary>
    public double Decay(TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? 1.0 : Math.Pow(2, -elapsed.TotalDays / Options.HalfLifeDays);

    /// <summary>2^(offset / half-life), unclamped: moves a score between two points in time.</summary>
    public double Scale(TimeSpan offset) => Math.Pow(2, offset.TotalDays / Options.HalfLifeDays);

    /// <summary>The entry after adding delta now: the old score decays to now first.</summary>
    public PreferenceEntry Apply(PreferenceEntry current, double delta, int hardDislikeChange, DateTimeOffset now)
    {
        var decayed = current.Score * Decay(now - current.UpdatedAt);
        return current with
        {
            Score = decayed + delta,
            UpdatedAt = now,
            HardDislikes = Math.Max(0, current.HardDislikes + hardDislikeChange),
        };
    }

    /// <summary>The delta that takes back a contribution made at addedAt: the same amount, decayed as it would have.</summary>
    public double Undo(double delta, DateTimeOffset addedAt, DateTimeOffset now) => -delta * Decay(now - addedAt);

    /// <summary>An entry that carries no information any more (taken back to zero, nothing hidden).</summary>
    public static bool IsEmpty(PreferenceEntry entry) => Math.Abs(entry.Score) < 1e-9 && entry.HardDislikes == 0;
}
