using SpotMirror.Core.Preferences;

namespace SpotMirror.Core.Engines;

/// <summary>
/// The five engines over one preference matrix, built once per <see cref="Recommender"/>; every ranker
/// of that recommender (the hybrid and the use cases' other weightings) shares them, so an engine's
/// caches and the learned model's slot exist once.
/// </summary>
public sealed class EngineSet
{
    private readonly IScoringEngine[] _byKind;

    public EngineSet(PreferenceMatrix preferences, int neighbours)
    {
        Mood = new MoodEngine();
        Content = new ContentEngine();
        Collaborative = new UserKnnEngine(preferences, neighbours);
        Popularity = new PopularityEngine(preferences);
        Learned = new LearnedEngine();
        _byKind = new IScoringEngine[EngineKinds.All.Count];
        foreach (var engine in new IScoringEngine[] { Mood, Content, Collaborative, Popularity, Learned }) _byKind[(int)engine.Kind] = engine;
    }

    public MoodEngine Mood { get; }
    public ContentEngine Content { get; }
    public UserKnnEngine Collaborative { get; }
    public PopularityEngine Popularity { get; }

    /// <summary>The learned model's slot: a refit publishes a new model here.</summary>
    public LearnedEngine Learned { get; }

    public IScoringEngine this[EngineKind kind] => _byKind[(int)kind];
}
