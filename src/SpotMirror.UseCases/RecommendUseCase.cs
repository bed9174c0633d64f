using System.Globalization;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Core.Service;

namespace SpotMirror.UseCases;

/// <summary>A mood list, or why there is none: the mood was not understood (with suggestions).</summary>
public sealed record MoodAnswer(MoodTarget? Target, IReadOnlyList<string> Suggestions, IReadOnlyList<Recommendation> Tracks);

/// <summary>A list like a seed, or no seed found (with names that come close).</summary>
public sealed record SimilarAnswer(SeedMatch? Seed, IReadOnlyList<string> Suggestions, IReadOnlyList<Recommendation> Tracks);

/// <summary>A popular list; UnknownTag when no track carries the tag asked for.</summary>
public sealed record PopularAnswer(string? Tag, bool UnknownTag, IReadOnlyList<Recommendation> Tracks);

/// <summary>
/// Recommend, the one way for every front end: by mood, like a seed, for a person, popular, and the
/// collaborative list alone. One set of rankers: the hybrid's, plus two other weightings of the same
/// engines (user-kNN alone; and, for someone nobody knows, a mood's tracks by mood fit and popularity alike).
/// </summary>
public sealed class RecommendUseCase
{
    private readonly Recommender _recommender;
    private readonly HybridRanker _collaborative;
    private readonly HybridRanker _popularByMood;

    public RecommendUseCase(Recommender recommender, HybridOptions options)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentNullException.ThrowIfNull(options);
        _recommender = recommender;
        LearnedOn = options.Learned > 0;
        _collaborative = Ranker(EngineKinds.All.Aggregate(options, (o, e) => o.WithWeight(e.Kind, e.Kind == EngineKind.Collaborative ? 1 : 0)));
        _popularByMood = Ranker(options with { Popularity = Math.Max(options.Popularity, options.Mood) });

        HybridRanker Ranker(HybridOptions weights) => new(recommender.Engines, weights);
    }

    public CatalogIndex Catalog => _recommender.Catalog;

    /// <summary>Whether the blend weighs the learned model at all (health says pending rather than off while it has not arrived).</summary>
    public bool LearnedOn { get; }

    /// <summary>The mood names, then their synonyms: what a front end offers as completions or hints.</summary>
    public IReadOnlyList<string> MoodNames => [.. _recommender.Moods.Moods.Select(m => m.Name), .. _recommender.Moods.Moods.SelectMany(m => m.Synonyms)];

    /// <summary>The named moods alone.</summary>
    /// <summary>The named moods, with their emoji, for a picker.</summary>
    public IReadOnlyList<NamedMood> Moods => _recommender.Moods.Moods;

    public IReadOnlyList<string> NamedMoods => _recommender.Moods.Moods.Select(m => m.Name).ToList();

    public MoodResolution ResolveMood(string query) => _recommender.Moods.Resolve(query);

    /// <summary>Tracks for a mood (a name, words or an emoji); a person nobody knows gets the mood's best-fitting popular tracks.</summary>
    public MoodAnswer Mood(long? userId, string query, int count, IReadOnlySet<long>? exclude = null)
    {
        var resolution = _recommender.Moods.Resolve(query);
        if (resolution.Target is not { } target) return new MoodAnswer(null, resolution.Suggestions, []);
        var request = new RecommendationRequest { UserId = userId, Count = count, Mood = target, Exclude = exclude ?? new HashSet<long>() };
        var list = userId is not null
            ? _recommender.Recommend(request)
            : _popularByMood.Rank(new ScoringContext(_recommender.Catalog, UserTaste.Empty(0), target), request);
        Telemetry.Recommended(userId is not null ? "mood" : "popular-by-mood", list);
        return new MoodAnswer(target, [], list);
    }

    /// <summary>Tracks like a seed: a track id, or the catalogue's lookup ("Title - Artist", a title, an artist, then the closest name).</summary>
    public SimilarAnswer Similar(long? userId, string query, int count, IReadOnlySet<long>? exclude = null)
    {
        var catalog = _recommender.Catalog;
        var seed = FindSeed(catalog, query);
        if (seed is null) return new SimilarAnswer(null, catalog.Suggest(query), []);
        var list = _recommender.Recommend(new RecommendationRequest { UserId = userId, Count = count, Seed = seed, Exclude = exclude ?? new HashSet<long>() });
        Telemetry.Recommended("similar", list);
        return new SimilarAnswer(seed, [], list);
    }

    /// <summary>The hybrid's list for a person (anyone's list when nobody is known).</summary>
    public IReadOnlyList<Recommendation> Personal(long? userId, int count, IReadOnlySet<long>? exclude = null)
    {
        var list = _recommender.Recommend(new RecommendationRequest { UserId = userId, Count = count, Exclude = exclude ?? new HashSet<long>() });
        Telemetry.Recommended("hybrid", list);
        return list;
    }

    /// <summary>The most popular tracks, of one tag when given.</summary>
    public PopularAnswer Popular(string? tag, int count, long? userId = null)
    {
        if (tag is not null && !_recommender.Catalog.HasTag(tag)) return new PopularAnswer(tag, true, []);
        var list = _recommender.Popular(tag, count, userId);
        Telemetry.Recommended("popularity", list);
        return new PopularAnswer(tag, false, list);
    }

    /// <summary>What the people who like what this person likes like: user-kNN alone.</summary>
    public IReadOnlyList<Recommendation> Collaborative(long? userId, int count)
    {
        var taste = userId is { } id ? _recommender.Preferences.TasteOf(id) : UserTaste.Empty(0);
        var list = _collaborative.Rank(new ScoringContext(_recommender.Catalog, taste), new RecommendationRequest { UserId = userId, Count = count });
        Telemetry.Recommended("collaborative", list);
        return list;
    }

    /// <summary>A track id, or else the catalogue's own lookup.</summary>
    public static SeedMatch? FindSeed(CatalogIndex catalog, string query)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(query);
        return long.TryParse(query.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && catalog.TryGetItem(id, out var item)
            ? new SeedMatch($"{catalog[item].Title} - {catalog[item].Artist}", [item], false)
            : catalog.FindSeed(query);
    }
}
