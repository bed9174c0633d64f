using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;
using SpotMirror.Storage.Catalog;

namespace SpotMirror.Storage.Tests;

public sealed class StarterCatalogTests
{
    private static readonly IReadOnlyList<Core.Ports.TrackInput> Starter = StarterCatalog.Load();

    private static readonly string[] Genres =
    [
        "rock", "pop", "hip-hop", "electronic", "jazz", "classical", "metal", "folk", "country", "soul",
        "funk", "reggae", "blues", "indie", "punk", "latin", "ambient", "synthpop", "soundtrack",
    ];

    [Fact]
    public void It_holds_at_least_300_distinct_tracks_with_title_artist_and_year()
    {
        Assert.True(Starter.Count >= 300, $"only {Starter.Count} tracks");
        Assert.All(Starter, t => Assert.True(t.Year is >= 1700 and <= 2026, $"{t.Title} has year {t.Year}"));
        Assert.Equal(Starter.Count, Starter.Select(t => (Text.Normalize(t.Artist), Text.Normalize(t.Title))).Distinct().Count());
    }

    [Fact]
    public void Every_track_has_three_to_eight_tags_and_no_invented_counts()
    {
        Assert.All(Starter, t => Assert.InRange(t.Tags.Count, 3, 8));
        Assert.All(Starter, t => Assert.Null(t.Listeners));
        Assert.All(Starter, t => Assert.Null(t.Playcount));
    }

    [Fact]
    public void It_spans_at_least_twelve_genres_with_a_dozen_tracks_each()
    {
        var covered = Genres.Count(g => Starter.Count(t => t.Tags.Any(tag => tag.Tag == g)) >= 12);
        Assert.True(covered >= 12, $"only {covered} genres with 12+ tracks");
    }

    [Fact]
    public void Every_named_mood_has_twenty_tracks_that_fit_it_well()
    {
        var tracks = Starter.Select((t, i) => new Track(i + 1, t.Title, t.Artist, t.Year, t.Tags)).ToList();
        var index = CatalogIndex.Build(tracks);
        var resolver = new MoodResolver(index.Lexicon, index.Moods);
        var engine = new Core.Engines.MoodEngine();
        foreach (var mood in NamedMood.Defaults)
        {
            var scores = new float[index.Count];
            engine.Score(new Core.Engines.ScoringContext(index, Core.Preferences.UserTaste.Empty(1), resolver.Resolve(mood.Name).Target), scores);
            Assert.True(scores.Count(s => s >= 0.5f) >= 20, $"{mood.Name}: only {scores.Count(s => s >= 0.5f)} tracks fit");
        }
    }
}
