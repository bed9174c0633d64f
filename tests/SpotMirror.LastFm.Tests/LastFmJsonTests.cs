using System.Text.Json;
using SpotMirror.Core.Catalog;

namespace SpotMirror.LastFm.Tests;

/// <summary>Last.fm's quirks, one JSON snippet each.</summary>
public sealed class LastFmJsonTests
{
    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Theory]
    [InlineData("""{"track":[{"name":"a"},{"name":"b"}]}""", 2)]
    [InlineData("""{"track":{"name":"a"}}""", 1)]
    [InlineData("""{"track":[]}""", 0)]
    [InlineData("""{"track":""}""", 0)]
    [InlineData("""{"@attr":{"page":"1"}}""", 0)]
    public void A_list_may_be_an_array_a_bare_object_or_missing(string json, int items) =>
        Assert.Equal(items, LastFmJson.Items(Parse(json), "track").Count());

    [Theory]
    [InlineData("""{"listeners":"1234"}""", 1234L)]
    [InlineData("""{"listeners":1234}""", 1234L)]
    [InlineData("""{"listeners":"12.0"}""", 12L)]
    [InlineData("""{"listeners":""}""", null)]
    [InlineData("""{"listeners":"many"}""", null)]
    [InlineData("""{}""", null)]
    public void Numbers_come_as_strings_or_numbers(string json, long? expected) =>
        Assert.Equal(expected, LastFmJson.Count(Parse(json), "listeners"));

    [Theory]
    [InlineData("""{"artist":"Cher"}""", "Cher")]
    [InlineData("""{"artist":{"name":"Cher","mbid":""}}""", "Cher")]
    [InlineData("""{"artist":{"#text":"Cher","mbid":""}}""", "Cher")]
    [InlineData("""{"artist":"  "}""", null)]
    [InlineData("""{"artist":null}""", null)]
    public void An_artist_is_a_string_or_an_object(string json, string? expected) =>
        Assert.Equal(expected, LastFmJson.Text(Parse(json), "artist"));

    [Theory]
    [InlineData("https://www.last.fm/music/Cher/_/Believe", "", "cher/_/believe")]
    [InlineData("https://www.last.fm/music/Guns+N%27+Roses/_/Sweet+Child+o%27+Mine", "", "guns n' roses/_/sweet child o' mine")]
    [InlineData("https://www.last.fm/music/AC%2FDC/_/Back+in+Black", "", "ac/dc/_/back in black")]
    [InlineData(null, "A1B2", "mbid:a1b2")]
    [InlineData(null, "", null)]
    public void A_tracks_id_is_its_page_else_its_mbid(string? url, string mbid, string? expected) =>
        Assert.Equal(expected, LastFmJson.ProviderId(url, mbid));

    [Fact]
    public void Top_tags_keep_counts_as_weights_and_skip_zero_blank_and_repeated_tags()
    {
        var tags = LastFmJson.Tags(Parse("""{"tag":[{"count":100,"name":"Hip-Hop"},{"count":"40","name":" jazz  hop "},{"count":0,"name":"seen live"},{"count":30,"name":"hip-hop"},{"count":5,"name":""}]}"""));

        Assert.Equal([new TagWeight("hip-hop", 100), new TagWeight("jazz hop", 40)], tags);
    }

    [Fact]
    public void Tags_without_counts_fall_from_100_by_position()
    {
        var tags = LastFmJson.Tags(Parse("""{"tag":[{"name":"pop","url":""},{"name":"dance","url":""}]}"""));

        Assert.Equal([new TagWeight("pop", 100), new TagWeight("dance", 90)], tags);
    }

    [Fact]
    public void An_error_code_is_read_as_a_number_or_a_string()
    {
        Assert.Equal(29, LastFmJson.ErrorCode(Parse("""{"message":"Rate Limit Exceeded","error":29}""")));
        Assert.Equal(6, LastFmJson.ErrorCode(Parse("""{"error":"6"}""")));
        Assert.Null(LastFmJson.ErrorCode(Parse("""{"track":{}}""")));
    }
}
