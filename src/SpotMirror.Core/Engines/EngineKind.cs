namespace SpotMirror.Core.Engines;

/// <summary>
/// The hybrid's five signals. An engine is described here once: its name (what `eval`, the tuner and
/// the options call it) and the reason a reply gives when it leads. The ranker, the options' weights,
/// the evaluator and the tuner all go through the kind, never through a position or a string of their own.
/// </summary>
public enum EngineKind
{
    Mood,
    Popularity,
    Content,
    Collaborative,
    Learned,
}

/// <summary>An engine's name and its reason line when the request gives nothing more specific to say.</summary>
public sealed record EngineDescription(EngineKind Kind, string Name, string Reason);

public static class EngineKinds
{
    /// <summary>Every engine, in the order of the enum (so All[(int)kind] is kind's description).</summary>
    public static readonly IReadOnlyList<EngineDescription> All =
    [
        new(EngineKind.Mood, "mood", "fits the mood"),
        new(EngineKind.Popularity, "popularity", "popular"),
        new(EngineKind.Content, "content", "close to your taste"),
        new(EngineKind.Collaborative, "collaborative", "listeners like you liked it"),
        new(EngineKind.Learned, "learned", "often liked together with your favourites"),
    ];

    public static EngineDescription Describe(this EngineKind kind) => All[(int)kind];

    public static string Name(this EngineKind kind) => All[(int)kind].Name;
}
