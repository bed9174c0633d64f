using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Core.Engines;

/// <summary>What one recommendation is asked for, with the asking user's taste resolved to catalog items.</summary>
public sealed class ScoringContext
{
    public ScoringContext(CatalogIndex catalog, UserTaste taste, MoodTarget? mood = null, IReadOnlyList<int>? seeds = null)
    {
        Catalog = catalog;
        Taste = taste;
        Mood = mood;
        Seeds = seeds ?? [];
        var items = new List<(int Item, double Score)>(taste.Scores.Count);
        foreach (var (trackId, score) in taste.Scores)
        {
            if (catalog.TryGetItem(trackId, out var item)) items.Add((item, score));
        }
        TasteItems = items;
    }

    public CatalogIndex Catalog { get; }
    public UserTaste Taste { get; }
    public MoodTarget? Mood { get; }
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>The user's scored tracks that are in this catalog, as items, with epoch-scaled scores.</summary>
    public IReadOnlyList<(int Item, double Score)> TasteItems { get; }

    /// <summary>Per-request results that both stages need (the neighbours' items, the user's learned vector), computed once.</summary>
    internal Dictionary<int, float>? CollaborativeByItem { get; set; }

    internal (ImplicitAlsModel Model, float[]? User)? LearnedUser { get; set; }
}

/// <summary>One signal of the hybrid: fills a score per catalog item (the span starts zeroed).</summary>
public interface IScoringEngine
{
    EngineKind Kind { get; }

    /// <summary>Scores every item for the context; false when this engine has nothing to say (no mood, no history...).</summary>
    bool Score(ScoringContext context, Span<float> scores);

    /// <summary>
    /// Scores only the given items (scores[k] is items[k]'s score; the span starts zeroed): the second
    /// stage of a request on a large catalogue, where nothing may walk every track.
    /// </summary>
    bool ScoreItems(ScoringContext context, ReadOnlySpan<int> items, Span<float> scores);
}
