using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Tests;

public sealed class ListenLinkTests
{
    private static string Url(string service, string artist, string title, string? page = null) =>
        ListenLinker.Default.For(artist, title, page).Single(l => l.Service == service).Url;

    [Theory]
    [InlineData("AC/DC", "Back in Black", "https://www.last.fm/music/AC%2FDC/_/Back+in+Black")]
    [InlineData("Beyoncé", "Halo", "https://www.last.fm/music/Beyonc%C3%A9/_/Halo")]
    [InlineData("Guns N' Roses", "Sweet Child O' Mine", "https://www.last.fm/music/Guns+N%27+Roses/_/Sweet+Child+O%27+Mine")]
    [InlineData("Florence + the Machine", "Dog Days Are Over", "https://www.last.fm/music/Florence+%2B+the+Machine/_/Dog+Days+Are+Over")]
    [InlineData("Radiohead", "Where I End & You Begin?", "https://www.last.fm/music/Radiohead/_/Where+I+End+%26+You+Begin%3F")]
    public void Last_fm_pages_are_built_the_way_last_fm_builds_them(string artist, string title, string expected) =>
        Assert.Equal(expected, ListenLinker.LastFmTrackUrl(artist, title));

    [Theory]
    [InlineData("spotify", "AC/DC", "T.N.T.", "https://open.spotify.com/search/AC%2FDC%20T.N.T.")]
    [InlineData("spotify", "Beyoncé", "Halo", "https://open.spotify.com/search/Beyonc%C3%A9%20Halo")]
    [InlineData("youtube-music", "Guns N' Roses", "Patience", "https://music.youtube.com/search?q=Guns%20N%27%20Roses%20Patience")]
    [InlineData("youtube-music", "Radiohead", "What? & Why", "https://music.youtube.com/search?q=Radiohead%20What%3F%20%26%20Why")]
    [InlineData("apple-music", "Simon & Garfunkel", "Mrs. Robinson?", "https://music.apple.com/us/search?term=Simon%20%26%20Garfunkel%20Mrs.%20Robinson%3F")]
    public void Search_links_escape_every_character_that_would_change_the_address(string service, string artist, string title, string expected) =>
        Assert.Equal(expected, Url(service, artist, title));

    [Fact]
    public void A_search_address_has_a_query_that_decodes_back_to_artist_and_title()
    {
        var url = new Uri(Url("youtube-music", "AC/DC", "Who Made Who? & Why #1"));

        Assert.Equal("music.youtube.com", url.Host);
        Assert.Equal("?q=AC%2FDC%20Who%20Made%20Who%3F%20%26%20Why%20%231", url.Query);
        Assert.Equal("AC/DC Who Made Who? & Why #1", Uri.UnescapeDataString(url.Query[3..]));
        Assert.Empty(url.Fragment);
    }

    [Fact]
    public void The_page_the_provider_gave_wins_over_the_built_one()
    {
        Assert.Equal("https://www.last.fm/music/Cher/_/Believe", Url("lastfm", "Cher", "Believe (Remix)", "https://www.last.fm/music/Cher/_/Believe"));
        Assert.Equal("https://www.last.fm/music/cher/_/believe", ListenLinker.LastFmPageOf("cher/_/believe"));
        Assert.Equal("https://www.last.fm/music/ac%2Fdc/_/t.n.t.", ListenLinker.LastFmPageOf("ac/dc/_/t.n.t."));
        Assert.Null(ListenLinker.LastFmPageOf("mbid:1234"));
        Assert.Null(ListenLinker.LastFmPageOf(null));
    }

    [Fact]
    public void A_track_with_a_spotify_id_links_to_its_spotify_page_and_everything_else_stays_as_it_was()
    {
        var track = new Track(1, "Hurt", "Johnny Cash", 2002, [], SpotifyId: "28cnXtME493VX9NOw9cIUh");

        var links = ListenLinker.Default.For(track);

        Assert.Equal("https://open.spotify.com/track/28cnXtME493VX9NOw9cIUh", links.Single(l => l.Service == "spotify").Url);
        Assert.Equal("https://www.last.fm/music/Johnny+Cash/_/Hurt", links.Single(l => l.Service == "lastfm").Url);
        Assert.Equal("https://music.youtube.com/search?q=Johnny%20Cash%20Hurt", links.Single(l => l.Service == "youtube-music").Url);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("28cnXtME493VX9NOw9cIU")]
    [InlineData("28cnXtME493VX9NOw9cIU/")]
    [InlineData("../../search/x?y=zzzzzz")]
    public void Without_a_real_spotify_id_the_spotify_link_is_a_search(string? id) =>
        Assert.Equal("https://open.spotify.com/search/Johnny%20Cash%20Hurt",
            ListenLinker.Default.For(new Track(1, "Hurt", "Johnny Cash", null, [], SpotifyId: id)).Single(l => l.Service == "spotify").Url);

    [Fact]
    public void Only_the_configured_services_are_linked_in_their_order()
    {
        var links = new ListenLinker(["youtube-music", "LastFm "]).For("Kavinsky", "Nightcall");

        Assert.Equal(["youtube-music", "lastfm"], links.Select(l => l.Service));
        Assert.Throws<ArgumentException>(() => new ListenLinker(["napster"]));
    }

    [Fact]
    public void A_very_long_name_still_makes_a_short_enough_search_address()
    {
        var url = Url("spotify", new string('a', 2000), new string('b', 2000));

        Assert.True(url.Length <= 512, $"{url.Length} characters");
    }
}
