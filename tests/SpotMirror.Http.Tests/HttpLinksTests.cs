using SpotMirror.Http;
using SpotMirror.Core.Catalog;

namespace SpotMirror.Http.Tests;

/// <summary>Every track object the API returns carries its listen links, properly encoded.</summary>
public sealed class HttpLinksTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private ApiHost Host => fixture.Host;

    [Theory]
    [InlineData("/recommend/mood?mood=chill&top=3")]
    [InlineData("/recommend/similar?song=Daft%20Punk&top=3")]
    [InlineData("/popular?top=3")]
    public async Task Every_track_carries_its_last_fm_page_and_search_links(string path)
    {
        var list = await Host.GetJsonAsync<TrackList>(path);

        Assert.NotEmpty(list.Tracks);
        Assert.All(list.Tracks, track =>
        {
            Assert.Equal(ListenLinker.Known, track.Links.Select(l => l.Service));
            Assert.Equal(ListenLinker.LastFmTrackUrl(track.Artist, track.Title), track.Links[0].Url);
            Assert.All(track.Links, l => Assert.True(Uri.IsWellFormedUriString(l.Url, UriKind.Absolute), l.Url));
            Assert.Equal(track.Artist + " " + track.Title, Uri.UnescapeDataString(track.Links[1].Url["https://open.spotify.com/search/".Length..]));
        });
    }
}
