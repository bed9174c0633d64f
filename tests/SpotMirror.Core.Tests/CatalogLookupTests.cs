using SpotMirror.Core.Catalog;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

public class CatalogLookupTests
{
    // Items: 0 Don't Stop Me Now, 1 Bohemian Rhapsody (both Queen), 2 Stand by Me, 3 Hello (Adele),
    // 4 Hello (Lionel Richie), 5 Yellow.
    private static readonly CatalogIndex Catalog = CatalogIndex.Build(
    [
        Tracks.Make(1, "Don't Stop Me Now", "Queen", "rock"),
        Tracks.Make(2, "Bohemian Rhapsody", "Queen", "rock"),
        Tracks.Make(3, "Stand by Me", "Ben E. King", "soul"),
        Tracks.Make(4, "Hello", "Adele", "pop"),
        Tracks.Make(5, "Hello", "Lionel Richie", "soul"),
        Tracks.Make(6, "Yellow", "Coldplay", "rock"),
    ]);

    [Theory]
    [InlineData("Hello - Lionel Richie", 4)]
    [InlineData("hello by lionel richie", 4)]
    [InlineData("Hello \u2013 Lionel Richie", 4)]    // en dash
    [InlineData("Hello - Adele", 3)]
    [InlineData("Stand by Me by Ben E. King", 2)]    // the last " by " splits
    [InlineData("Stand by Me", 2)]                   // " by " inside a title falls through to the exact title
    [InlineData("Hello", 3)]                         // an exact title shared by two: the first
    [InlineData("bohemian rhapsody", 1)]
    [InlineData("dont stop me now", 0)]
    [InlineData("DON'T STOP ME NOW!!!", 0)]
    [InlineData("Don’t   Stop, Me — Now", 0)]
    public void Finds_a_track_by_what_a_person_typed(string query, int item)
    {
        var match = Catalog.FindSeed(query);

        Assert.NotNull(match);
        Assert.False(match.IsArtist);
        Assert.Equal([item], match.Items);
        Assert.Equal($"{Catalog[item].Title} - {Catalog[item].Artist}", match.Label);
    }

    [Theory]
    [InlineData("Queen", "Queen", new[] { 0, 1 })]
    [InlineData("queen!", "Queen", new[] { 0, 1 })]
    [InlineData("ben e king", "Ben E. King", new[] { 2 })]
    public void Finds_every_track_of_an_exact_artist(string query, string label, int[] items)
    {
        var match = Catalog.FindSeed(query);

        Assert.NotNull(match);
        Assert.True(match.IsArtist);
        Assert.Equal(label, match.Label);
        Assert.Equal(items, match.Items);
    }

    [Fact]
    public void Unknown_artist_after_a_separator_falls_back_to_the_title()
    {
        var match = Catalog.FindSeed("Yellow - Nobody Known");

        // "yellow nobody known" shares one word with "yellow": Dice 2 * 1 / (3 + 1) = 0.5, under 0.6.
        Assert.Null(match);
    }

    [Theory]
    [InlineData("bohemian rhapsodi", 1, false)]      // one letter off the whole title
    [InlineData("bohemian", 1, false)]               // Dice 2 * 1 / (1 + 2) = 0.67
    [InlineData("coldplai", 5, true)]                // one letter off the artist
    [InlineData("yelow", 5, false)]
    public void Near_misses_are_found(string query, int item, bool isArtist)
    {
        var match = Catalog.FindSeed(query);

        Assert.NotNull(match);
        Assert.Equal(isArtist, match.IsArtist);
        Assert.Contains(item, match.Items);
    }

    [Theory]
    [InlineData("qwzx plorb")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ???")]
    [InlineData("stop")]    // Dice 2 * 1 / (1 + 4) = 0.4
    public void Nonsense_finds_nothing(string query)
    {
        Assert.Null(Catalog.FindSeed(query));
    }

    [Fact]
    public void Suggest_offers_close_names()
    {
        var suggestions = Catalog.Suggest("stop now");

        Assert.Contains("Don't Stop Me Now - Queen", suggestions);
    }

    [Theory]
    [InlineData("Don't Stop", "dont stop")]
    [InlineData("  AC/DC  ", "ac dc")]
    [InlineData("Beyoncé’s   Song!", "beyoncés song")]
    [InlineData("...", "")]
    public void Normalize_lowercases_drops_apostrophes_and_splits_on_punctuation(string input, string expected)
    {
        Assert.Equal(expected, Text.Normalize(input));
    }

    [Theory]
    [InlineData("chil", "chill", 1)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    public void Edit_distance_counts_single_letter_edits(string a, string b, int expected)
    {
        Assert.Equal(expected, Text.EditDistance(a, b));
        Assert.Equal(expected, Text.EditDistance(b, a));
    }

    [Fact]
    public void Artists_are_grouped_case_insensitively()
    {
        var catalog = CatalogIndex.Build([Tracks.Make(1, "One", "ABBA"), Tracks.Make(2, "Two", "Abba")]);

        Assert.Equal(1, catalog.ArtistCount);
        Assert.Equal(catalog.ArtistOf(0), catalog.ArtistOf(1));
        Assert.Equal([0, 1], catalog.ItemsOfArtist(0));
        Assert.True(catalog.TryGetItem(2, out var item));
        Assert.Equal(1, item);
        Assert.False(catalog.TryGetItem(3, out _));
    }
}
