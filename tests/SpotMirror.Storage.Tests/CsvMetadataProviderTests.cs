using SpotMirror.Core.Ports;
using SpotMirror.Storage.Catalog;

namespace SpotMirror.Storage.Tests;

/// <summary>The CSV importer's file answering the same metadata port as Last.fm.</summary>
public sealed class CsvMetadataProviderTests
{
    private const string File = """
        title,artist,tags,listeners,playcount
        Kiara,Bonobo,electronic;chill:95;downtempo:80,400000,3000000
        Weightless,Marconi Union,ambient;chill:90;relaxing:85,500000,4500000
        Awake,Tycho,electronic;chill:80,450000,3500000
        Hurt,Johnny Cash,country;sad:80,1200000,9000000
        ,Broken Row,rock,,
        """;

    private static CsvMetadataProvider Open()
    {
        using var reader = new StringReader(File);
        var (provider, problems) = CsvMetadataProvider.Open(reader);
        Assert.Single(problems);
        return provider;
    }

    [Fact]
    public async Task A_tags_top_tracks_are_the_rows_carrying_it_strongest_first()
    {
        var tracks = await Open().TagTopTracksAsync("Chill", 2, CancellationToken.None);

        Assert.Equal(["Kiara", "Weightless"], tracks.Select(t => t.Title));
        Assert.All(tracks, t => Assert.Equal(CsvMetadataProvider.ProviderName, t.Provider));
    }

    [Fact]
    public async Task Track_info_has_the_rows_counts_and_tags_and_an_id_from_artist_and_title()
    {
        var track = await Open().TrackInfoAsync(new TrackRef("johnny cash", "HURT"), CancellationToken.None);

        Assert.NotNull(track);
        Assert.Equal((1_200_000L, 9_000_000L, "johnny cash|hurt"), (track.Listeners!.Value, track.Playcount!.Value, track.ProviderId));
        Assert.Null(await Open().TrackInfoAsync(new TrackRef("Nobody", "Nothing"), CancellationToken.None));
    }

    [Fact]
    public async Task Similar_tracks_share_tags_and_search_matches_words()
    {
        var provider = Open();

        var similar = await provider.SimilarTracksAsync(new TrackRef("Bonobo", "Kiara"), 5, CancellationToken.None);
        var found = await provider.SearchTracksAsync("marconi", 5, CancellationToken.None);

        Assert.Equal("Awake", similar[0].Title);
        Assert.DoesNotContain(similar, t => t.Title == "Hurt");
        Assert.Equal("Weightless", Assert.Single(found).Title);
    }

    [Fact]
    public async Task A_file_knows_no_people()
    {
        var provider = Open();

        Assert.False(provider.Capabilities.HasFlag(MetadataCapabilities.UserTaste));
        Assert.Empty(await provider.UserTopTracksAsync("rj", 10, CancellationToken.None));
    }
}
