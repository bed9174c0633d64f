using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Preferences;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

public class MoodTests
{
    private static readonly MoodResolver Resolver = new(MoodLexicon.Default, NamedMood.Defaults);

    [Theory]
    [InlineData("chill", "chill")]
    [InlineData("  Happy ", "happy")]
    [InlineData("relaxing", "chill")]
    [InlineData("laid back", "chill")]
    [InlineData("Laid-Back", "chill")]
    [InlineData("heartbroken", "sad")]
    [InlineData("date night", "romantic")]
    [InlineData("banger", "party")]
    [InlineData("deep work", "focus")]
    public void Names_and_synonyms_resolve_to_the_named_mood(string input, string mood)
    {
        var resolution = Resolver.Resolve(input);

        Assert.True(resolution.Found);
        Assert.Equal(mood, resolution.Target!.Label);
        Assert.Equal(mood, resolution.Target.Named!.Name);
    }

    [Theory]
    [InlineData("\u2764\uFE0F", "romantic")]        // ❤️ with the variation selector
    [InlineData("\u2764", "romantic")]              // ❤ without it
    [InlineData("\U0001F60C", "chill")]             // 😌
    [InlineData("\u2600\uFE0F", "happy")]           // ☀️
    [InlineData("\u2600", "happy")]                 // ☀
    [InlineData(" \U0001F621 ", "angry")]           // 😡 with spaces
    public void Emoji_resolve_with_and_without_variation_selector(string input, string mood)
    {
        var resolution = Resolver.Resolve(input);

        Assert.Equal(mood, resolution.Target?.Named?.Name);
    }

    [Theory]
    [InlineData("\U0001F60C \U0001F389", "\U0001F60C \U0001F389")]   // 😌 🎉: two moods, shown as asked
    [InlineData("\U0001F60C\U0001F389", "\U0001F60C\U0001F389")]     // 😌🎉 without a space
    public void Emoji_of_two_moods_blend_under_a_label_that_shows_them(string input, string label)
    {
        var resolution = Resolver.Resolve(input);
        var chill = NamedMood.Defaults.Single(m => m.Name == "chill").Center;
        var party = NamedMood.Defaults.Single(m => m.Name == "party").Center;

        Assert.True(resolution.Found);
        Assert.Null(resolution.Target!.Named);
        Assert.Equal(label, resolution.Target.Label);
        Assert.Equal((chill.Valence + party.Valence) / 2, resolution.Target.Point.Valence, 4);
        Assert.Equal((chill.Arousal + party.Arousal) / 2, resolution.Target.Point.Arousal, 4);
    }

    [Theory]
    [InlineData("\U0001F60C\U0001F60C", "chill")]    // 😌😌
    [InlineData("\U0001F389 \U0001F973", "party")]   // 🎉 🥳
    public void Emoji_of_one_mood_repeated_ask_for_that_mood(string input, string mood) =>
        Assert.Equal(mood, Resolver.Resolve(input).Target?.Named?.Name);

    [Fact]
    public void Free_text_resolves_to_a_point_pulled_by_each_known_word()
    {
        // rainy (-0.35, -0.5) at strength 1, sunday (0.2, -0.55) at strength 0.6:
        // valence (-0.35 + 0.12) / 1.6 = -0.14375, arousal (-0.5 - 0.33) / 1.6 = -0.51875.
        var resolution = Resolver.Resolve("rainy sunday");

        Assert.True(resolution.Found);
        Assert.Null(resolution.Target!.Named);
        Assert.Equal("rainy sunday", resolution.Target.Label);
        Assert.Equal(-0.14375f, resolution.Target.Point.Valence, 4);
        Assert.Equal(-0.51875f, resolution.Target.Point.Arousal, 4);
        Assert.True(resolution.Target.Point.Arousal < 0);
    }

    [Fact]
    public void Misspelt_mood_is_unresolved_with_a_suggestion()
    {
        var resolution = Resolver.Resolve("chil");

        Assert.False(resolution.Found);
        Assert.Equal("chill", resolution.Suggestions[0]);
    }

    [Fact]
    public void Nonsense_is_unresolved()
    {
        var resolution = Resolver.Resolve("xyzzy");

        Assert.False(resolution.Found);
        Assert.DoesNotContain("chill", resolution.Suggestions);
    }

    [Fact]
    public void Empty_input_offers_every_mood()
    {
        var resolution = Resolver.Resolve("   ");

        Assert.False(resolution.Found);
        Assert.Equal(NamedMood.Defaults.Count, resolution.Suggestions.Count);
    }

    [Fact]
    public void Locate_on_a_single_mood_tag_is_that_word_with_full_confidence()
    {
        var (point, confidence) = MoodLexicon.Default.Locate([new TagWeight("calm", 100)]);

        Assert.Equal(new MoodPoint(0.35f, -0.75f), point);
        Assert.Equal(1f, confidence);
    }

    [Theory]
    // rock is a genre word (strength 0.4): mass 40 of 100 total, confidence 0.4 * 1.5 = 0.6.
    [InlineData("rock:100", 0.1f, 0.55f, 0.6f)]
    // calm known, zzz not: mass 100 of 200, confidence 0.5 * 1.5 = 0.75.
    [InlineData("calm:100;zzz:100", 0.35f, -0.75f, 0.75f)]
    // happy (0.8, 0.45) w 100, sad (-0.8, -0.4) w 50: v = (80 - 40) / 150, a = (45 - 20) / 150; confidence min(1, 1.5).
    [InlineData("happy:100;sad:50", 0.266667f, 0.166667f, 1f)]
    // Only unknown tags: nowhere, with no confidence.
    [InlineData("zzz:100;qqq:10", 0f, 0f, 0f)]
    public void Locate_is_the_weighted_mean_of_known_tags(string tags, float valence, float arousal, float confidence)
    {
        var list = tags.Split(';').Select(t => t.Split(':')).Select(p => new TagWeight(p[0], float.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture))).ToList();

        var (point, found) = MoodLexicon.Default.Locate(list);

        Assert.Equal(valence, point.Valence, 4);
        Assert.Equal(arousal, point.Arousal, 4);
        Assert.Equal(confidence, found, 4);
    }

    [Fact]
    public void Unknown_phrase_is_the_mean_of_its_known_words()
    {
        // chill (0.4, -0.6) strength 1, rock (0.1, 0.55) strength 0.4:
        // v = (0.4 + 0.04) / 1.4 = 0.314286, a = (-0.6 + 0.22) / 1.4 = -0.271429, strength 1.4 / 2 = 0.7.
        Assert.True(MoodLexicon.Default.TryLookup("chill rock", out var entry));

        Assert.Equal(0.314286f, entry.Point.Valence, 4);
        Assert.Equal(-0.271429f, entry.Point.Arousal, 4);
        Assert.Equal(0.7f, entry.Strength, 4);
        Assert.False(MoodLexicon.Default.TryLookup("zzz qqq", out _));
    }

    [Theory]
    [InlineData(0f, 0f, 1f)]        // at the target
    [InlineData(0.5f, 0f, 0.75f)]   // half the reach: 1 - 0.5^2
    [InlineData(0f, -0.5f, 0.75f)]  // any direction
    [InlineData(0.3f, 0.4f, 0.75f)] // distance 0.5 diagonally
    [InlineData(1f, 0f, 0f)]        // at the reach
    [InlineData(0.9f, 0.9f, 0f)]    // beyond it
    public void Plane_fit_falls_with_the_square_of_the_distance(float valence, float arousal, float expected)
    {
        Assert.Equal(expected, MoodEngine.PlaneFit(new MoodPoint(valence, arousal), new MoodPoint(0, 0), 1f), 5);
    }

    private static CatalogIndex MoodCatalog() => CatalogIndex.Build(
    [
        Tracks.Make(1, "Aa", "Ann", "calm", "relaxing"),
        Tracks.Make(2, "Bb", "Bob", "aggressive", "heavy"),
        Tracks.Make(3, "Cc", "Cid", "rainy"),
        Tracks.Make(4, "Dd", "Dee", "zzz"),
    ]);

    [Fact]
    public void Calm_track_fits_chill_better_than_an_aggressive_one()
    {
        var catalog = MoodCatalog();
        var chill = Resolver.Resolve("chill").Target;
        var scores = new float[catalog.Count];

        Assert.True(new MoodEngine().Score(new ScoringContext(catalog, UserTaste.Empty(1), chill), scores));

        // calm;relaxing sits at (0.4, -0.725), 0.125 from chill's centre, confidence 1; reach 2 * 0.45 = 0.9.
        // Plane fit 1 - (0.125 / 0.9)^2 = 0.980710; two signature tags cap the tag part at 1.
        // Fit 0.6 * 0.980710 + 0.4 * 1 = 0.988426.
        Assert.Equal(0.988426f, scores[0], 4);
        // aggressive;heavy sits at (-0.425, 0.8): far beyond the reach and no signature tag.
        Assert.Equal(0f, scores[1]);
        Assert.True(scores[0] > scores[1]);
        // Unknown tags give no mood at all.
        Assert.Equal(0f, scores[3]);
    }

    [Fact]
    public void Free_text_target_scores_by_plane_fit_within_the_free_text_reach()
    {
        var catalog = MoodCatalog();
        var target = Resolver.Resolve("rainy sunday").Target;
        var scores = new float[catalog.Count];

        new MoodEngine().Score(new ScoringContext(catalog, UserTaste.Empty(1), target), scores);

        // The "rainy" track at (-0.35, -0.5), confidence 1; target (-0.14375, -0.51875):
        // distance 0.207100, / 0.8 = 0.258875, fit 1 - 0.067016 = 0.932983.
        Assert.Equal(0.932983f, scores[2], 4);
        Assert.Equal(0f, scores[1]);
    }

    [Fact]
    public void No_mood_asked_means_no_mood_scores()
    {
        var catalog = MoodCatalog();

        Assert.False(new MoodEngine().Score(new ScoringContext(catalog, UserTaste.Empty(1)), new float[catalog.Count]));
    }
}
