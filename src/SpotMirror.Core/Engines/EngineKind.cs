using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Core.Engines;

/// <summary>
/// The hybrid's five signals. An engine is described here once: its name (what `eval`, the tuner and
/// the logs call it), its reason line, its blend weight in <see cref="HybridOptions"/> and how it is
/// built. The ranker, the evaluator and the tuner go through the kind, never through a position or a
/// string of their own; a sixth engine is one row here, one weight property in HybridOptions (the
/// configuration key), and its own file.
/// </summary>
public enum EngineKind
{
    Mood,
    Popularity,
    Content,
    Collaborative,
    Learned,
}

/// <summary>
/// One engine: its name, its reason line when the request gives nothing more specific to say, its
/// weight in the options (read and changed), and how to build it over a preference matrix.
/// </summary>
public sealed record EngineDescription(
    EngineKind Kind,
    string Name,
    string Reason,
    Func<HybridOptions, float> Weight,
    Func<HybridOptions, float, HybridOptions> WithWeight,
    Func<PreferenceMatrix, HybridOptions, IScoringEngine> Create);

public static class EngineKinds
{
    /// <summary>Every engine, in the order of the enum (so All[(int)kind] is kind's description).</summary>
    public static readonly IReadOnlyList<EngineDescription> All =
    [
        new(EngineKind.Mood, "mood", "fits the mood",
            o => o.Mood, (o, w) => o with { Mood = w }, (_, _) => new MoodEngine()),
        new(EngineKind.Popularity, "popularity", "popular",
            o => o.Popularity, (o, w) => o with { Popularity = w }, (p, _) => new PopularityEngine(p)),
        new(EngineKind.Content, "content", "close to your taste",
            o => o.Content, (o, w) => o with { Content = w }, (_, _) => new ContentEngine()),
        new(EngineKind.Collaborative, "collaborative", "listeners like you liked it",
            o => o.Collaborative, (o, w) => o with { Collaborative = w }, (p, o) => new UserKnnEngine(p, o.Neighbours)),
        new(EngineKind.Learned, "learned", "often liked together with your favourites",
            o => o.Learned, (o, w) => o with { Learned = w }, (_, _) => new LearnedEngine()),
    ];

    public static EngineDescription Describe(this EngineKind kind) => All[(int)kind];

    public static string Name(this EngineKind kind) => All[(int)kind].Name;
}
