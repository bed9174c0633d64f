using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Tests;

/// <summary>The names Last.fm and Spotify give one recording, and names that only look alike.</summary>
public sealed class TrackMatchTests
{
    [Theory]
    [InlineData("Pharrell Williams", "Happy", "Pharrell Williams", "Happy - From \"Despicable Me 2\"")]
    [InlineData("Queen", "Don't Stop Me Now", "Queen", "Don't Stop Me Now - Remastered 2011")]
    [InlineData("Queen", "Dont Stop Me Now", "Queen", "Don’t Stop Me Now - 2011 Remaster")]
    [InlineData("David Bowie", "Heroes", "David Bowie", "\"Heroes\" (2017 Remaster)")]
    [InlineData("Daft Punk", "Get Lucky", "Daft Punk", "Get Lucky (feat. Pharrell Williams and Nile Rodgers) - Radio Edit")]
    [InlineData("Daft Punk feat. Pharrell Williams", "Get Lucky", "Daft Punk", "Get Lucky feat. Pharrell Williams")]
    [InlineData("Oasis", "Wonderwall", "Oasis", "Wonderwall - Live at Knebworth, 10 August 1996")]
    [InlineData("Nirvana", "Lake of Fire", "Nirvana", "Lake Of Fire (Live)")]
    [InlineData("The Beatles", "Love Me Do", "Beatles", "Love Me Do - Mono / Remastered")]
    [InlineData("Katrina and the Waves", "Walking on Sunshine", "Katrina & The Waves", "Walking On Sunshine")]
    [InlineData("Florence + the Machine", "Dog Days Are Over", "Florence and The Machine", "Dog Days Are Over")]
    [InlineData("Beyoncé", "Halo", "Beyonce", "Halo")]
    [InlineData("Sigur Rós", "Hoppípolla", "Sigur Ros", "Hoppipolla")]
    [InlineData("Shawn Mendes", "Señorita", "Shawn Mendes", "Señorita (with Camila Cabello)")]
    [InlineData("John Coltrane", "Naima", "John Coltrane", "Naima - Mono")]
    [InlineData("AC/DC", "Back in Black", "AC DC", "Back In Black")]
    public void Names_of_one_recording_meet(string artistA, string titleA, string artistB, string titleB) =>
        Assert.Equal(TrackMatch.Key(artistA, titleA), TrackMatch.Key(artistB, titleB));

    [Theory]
    [InlineData("Paul McCartney", "Live and Let Die", "Paul McCartney", "Let Die")]
    [InlineData("The Rolling Stones", "(I Can't Get No) Satisfaction", "The Rolling Stones", "Satisfaction")]
    [InlineData("Sam Smith", "Stay with Me", "Sam Smith", "Stay")]
    [InlineData("Gary Jules", "Mad World", "Tears for Fears", "Mad World")]
    [InlineData("Daft Punk", "Get Lucky", "Daft Punk", "Get Lucky - Daft Punk Remix")]
    [InlineData("Oasis", "Live Forever", "Oasis", "Forever")]
    [InlineData("The The", "This Is the Day", "This Is the Day", "The The")]
    public void Names_of_different_tracks_stay_apart(string artistA, string titleA, string artistB, string titleB) =>
        Assert.NotEqual(TrackMatch.Key(artistA, titleA), TrackMatch.Key(artistB, titleB));

    [Theory]
    [InlineData("Live", "live")]
    [InlineData("(Live)", "live")]
    [InlineData("Remastered", "remastered")]
    public void A_title_that_is_nothing_but_a_decoration_keeps_its_words(string title, string folded) =>
        Assert.Equal(folded, TrackMatch.FoldTitle(title));
}
