using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Ranking;

/// <summary>
/// One recommended track with its blended score, a one-line reason, and the engine that contributed most to its
/// score (null when none did: a pick made to vary a list nothing personal could rank).
/// </summary>
public sealed record Recommendation(int Item, Track Track, float Score, string Reason, Engines.EngineKind? Engine = null);

/// <summary>What a recommendation asks for. Seeds come from /similar; a tag limits /popular.</summary>
public sealed record RecommendationRequest
{
    public long? UserId { get; init; }
    public int Count { get; init; } = 5;
    public Mood.MoodTarget? Mood { get; init; }
    public SeedMatch? Seed { get; init; }
    public string? Tag { get; init; }
    /// <summary>Track ids not to offer this time (recently shown).</summary>
    public IReadOnlySet<long> Exclude { get; init; } = new HashSet<long>();
}
