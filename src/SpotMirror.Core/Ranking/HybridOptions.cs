namespace SpotMirror.Core.Ranking;

/// <summary>The blend: each engine's weight on its max-normalised scores, and the mood gate.</summary>
public sealed record HybridOptions
{
    public float Mood { get; init; } = 1.0f;
    public float Content { get; init; } = 0.35f;
    public float Collaborative { get; init; } = 0.35f;
    public float Popularity { get; init; } = 0.15f;
    /// <summary>With a mood asked for, a track whose mood fit is below this share of the best fit is not offered.</summary>
    public float MoodGate { get; init; } = 0.35f;
    /// <summary>A second reason is named when its contribution is at least this share of the first's.</summary>
    public float SecondReasonShare { get; init; } = 0.3f;
    /// <summary>Neighbourhood size of user-based CF.</summary>
    public int Neighbours { get; init; } = 50;
}
