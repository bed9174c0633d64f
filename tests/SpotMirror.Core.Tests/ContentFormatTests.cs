using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Tests;

public class ContentFormatTests
{
    // The probe catalogue's checksum per content format version. A change to the TF-IDF code (or to the text
    // normalisation under it) that moves any vector fails the first test: bump ContentFormat.Version and record the
    // new checksum here, so snapshots written before the change recompute their vectors instead of serving stale ones.
    private static readonly Dictionary<int, ulong> Recorded = new()
    {
        [1] = 0xFBAAECD43FE63E2EUL,
    };

    [Fact]
    public void TheProbeCatalogueGivesTheChecksumRecordedForThisContentFormatVersion()
    {
        Assert.True(Recorded.TryGetValue(ContentFormat.Version, out var expected), $"no checksum recorded for content format {ContentFormat.Version}: add {ContentFormat.ProbeChecksum:X16}");
        Assert.True(expected == ContentFormat.ProbeChecksum,
            $"the content vectors changed ({ContentFormat.ProbeChecksum:X16}, recorded {expected:X16}): bump ContentFormat.Version and record the new checksum");
    }

    [Fact]
    public void TheStampCarriesTheVersionAndTheProbesChecksum()
    {
        Assert.Equal((ContentFormat.Version, ContentFormat.ProbeChecksum), ContentFormat.Stamp);
    }

    public static TheoryData<string, Func<Track, Track>> Edits => new()
    {
        { "a tag weight", t => t.Id == 1 ? t with { Tags = [new("rock", 100), new("Classic Rock", 61), new("70s", 20)] } : t },
        { "a tag's spelling", t => t.Id == 3 ? t with { Tags = [new("post-rock", 100), new("Post Rock", 80), new("islandic", 40)] } : t },
        { "a title word", t => t.Id == 4 ? t with { Title = "Ça plane pour toi" } : t },
        { "an artist", t => t.Id == 8 ? t with { Artist = "The Artist" } : t },
        { "the order of two tracks", t => t.Id switch { 5 => t with { Id = 6 }, 6 => t with { Id = 5 }, _ => t } },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void AnEditToTheProbeCatalogueMovesTheChecksum(string edit, Func<Track, Track> change)
    {
        var tracks = ContentFormat.ProbeCatalogue().Select(change).OrderBy(t => t.Id).ToArray();

        Assert.True(ContentFormat.Checksum(tracks) != ContentFormat.ProbeChecksum, $"{edit} left the checksum as it was");
    }

    [Fact]
    public void TheChecksumIsTheSameOnEveryComputation()
    {
        Assert.Equal(ContentFormat.Checksum(ContentFormat.ProbeCatalogue()), ContentFormat.Checksum(ContentFormat.ProbeCatalogue()));
    }
}
