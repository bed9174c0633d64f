namespace SpotMirror.Core.Ranking;

/// <summary>
/// The blend: each engine's weight on its max-normalised scores, and the mood gate. The defaults of
/// the learned model, collaborative, content and popularity weights are the ones `eval --tune` chose
/// on a validation split carved from HetRec's training data (seed 42); see the README.
/// </summary>
public sealed record HybridOptions
{
    public float Mood { get; init; } = 1.0f;
    public float Content { get; init; } = 0.5f;
    public float Collaborative { get; init; }
    public float Popularity { get; init; }
    /// <summary>Weight of the learned item-item model (EASE).</summary>
    public float Learned { get; init; } = 1.0f;
    /// <summary>EASE's L2 regularisation λ.</summary>
    public double LearnedLambda { get; init; } = 100;
    /// <summary>Items need at least this many users who like them to enter the learned model (bounds its size).</summary>
    public int LearnedMinUsers { get; init; } = 3;
    /// <summary>The running bot refits the learned model at most this often, and only when preferences changed.</summary>
    public double LearnedRefreshMinutes { get; init; } = 10;
    /// <summary>With a mood asked for, a track whose mood fit is below this share of the best fit is not offered.</summary>
    public float MoodGate { get; init; } = 0.35f;
    /// <summary>A second reason is named when its contribution is at least this share of the first's.</summary>
    public float SecondReasonShare { get; init; } = 0.3f;
    /// <summary>Neighbourhood size of user-based CF.</summary>
    public int Neighbours { get; init; } = 50;
}
