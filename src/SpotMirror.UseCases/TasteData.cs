using SpotMirror.Core;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Ports;

namespace SpotMirror.UseCases;

/// <summary>A liked track on the valence-arousal plane, weighted by how much it is liked now.</summary>
public sealed record PlacedTrack(string Title, string Artist, MoodPoint Point, double Weight);

/// <summary>One day of reactions that changed something: how many were positive (like, love) and how many negative.</summary>
public sealed record TasteDay(DateOnly Day, int Positive, int Negative);

/// <summary>Everything the taste picture draws, gathered once so the chat's PNG and the web page's show the same thing.</summary>
public sealed record TasteData(
    IReadOnlyList<NamedMood> Moods,
    IReadOnlyList<PlacedTrack> Liked,
    IReadOnlyList<(string Name, double Weight)> Tags,
    IReadOnlyList<(string Name, double Weight)> Artists,
    IReadOnlyList<(string Name, double Weight)> MoodWeights,
    IReadOnlyList<TasteDay> Days,
    int LikedCount,
    int HiddenCount)
{
    public const int TopShown = 8;

    public bool IsEmpty => LikedCount == 0 && HiddenCount == 0 && Days.Count == 0;

    /// <summary>The weighted centre of the liked tracks on the plane; null with nothing liked.</summary>
    public MoodPoint? Centre
    {
        get
        {
            var total = Liked.Sum(t => t.Weight);
            if (total <= 0) return null;
            return new MoodPoint(
                (float)(Liked.Sum(t => t.Point.Valence * t.Weight) / total),
                (float)(Liked.Sum(t => t.Point.Arousal * t.Weight) / total));
        }
    }

    /// <summary>Reads a person's taste from the in-memory preferences and their feedback log.</summary>
    public static async Task<TasteData> GatherAsync(Recommender recommender, IPersonalRecords records, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentNullException.ThrowIfNull(records);
        var catalog = recommender.Catalog;
        var profile = recommender.Profile(userId, now, TopShown);
        var liked = new List<PlacedTrack>();
        foreach (var (trackId, scaled) in recommender.Preferences.TasteOf(userId).Scores)
        {
            if (scaled <= 0 || !catalog.TryGetItem(trackId, out var item)) continue;
            var track = catalog[item];
            liked.Add(new PlacedTrack(track.Title, track.Artist, catalog.MoodOf(item), recommender.Preferences.Effective(scaled, now)));
        }
        var days = (await records.FeedbackAsync(userId, cancellationToken).ConfigureAwait(false))
            .Where(f => f.Outcome == "applied")
            .GroupBy(f => DateOnly.FromDateTime(f.At.UtcDateTime))
            .OrderBy(g => g.Key)
            .Select(g => new TasteDay(g.Key,
                g.Sum(f => Positive(f.Signal) ? (f.Added ? 1 : -1) : 0),
                g.Sum(f => Positive(f.Signal) ? 0 : (f.Added ? 1 : -1))))
            .ToList();
        return new TasteData(catalog.Moods.Count > 0 ? catalog.Moods : NamedMood.Defaults, liked, profile.Tags, profile.Artists, profile.Moods, days,
            profile.Liked, profile.Hidden);

        static bool Positive(string signal) => signal is "like" or "love";
    }
}
