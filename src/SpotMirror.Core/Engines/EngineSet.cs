using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Core.Engines;

/// <summary>
/// Every engine over one preference matrix, built once per <see cref="Recommender"/>; every ranker of
/// that recommender (the hybrid and the use cases' other weightings) shares them, so an engine's caches
/// and the learned model's slot exist once.
/// </summary>
public sealed class EngineSet
{
    private readonly IScoringEngine[] _byKind;

    public EngineSet(PreferenceMatrix preferences, HybridOptions options)
    {
        _byKind = EngineKinds.All.Select(e => e.Create(preferences, options)).ToArray();
        for (var k = 0; k < _byKind.Length; k++)
        {
            if ((int)_byKind[k].Kind != k) throw new InvalidOperationException($"The engine built for {(EngineKind)k} says it is {_byKind[k].Kind}.");
        }
    }

    public IScoringEngine this[EngineKind kind] => _byKind[(int)kind];

    /// <summary>The engines the first stage of a large-catalogue request and the popular list reach by type.</summary>
    public PopularityEngine Popularity => (PopularityEngine)this[EngineKind.Popularity];
    public UserKnnEngine Collaborative => (UserKnnEngine)this[EngineKind.Collaborative];

    /// <summary>The learned model's slot: a refit publishes a new model here.</summary>
    public LearnedEngine Learned => (LearnedEngine)this[EngineKind.Learned];
}
