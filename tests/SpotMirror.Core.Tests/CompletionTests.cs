using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Tests;

public sealed class CompletionTests
{
    private static readonly Completion Names = Completion.Build(
        [
            new Track(1, "Nightcall", "Kavinsky", null, []),
            new Track(2, "Night Drive", "Chromatics", null, []),
            new Track(3, "Around the World", "Daft Punk", null, []),
            new Track(4, "Back in Black", "AC/DC", null, []),
            new Track(5, "Halo", "Beyoncé", null, []),
        ],
        ["Kavinsky", "Chromatics", "Daft Punk", "AC/DC", "Beyoncé"]);

    [Theory]
    [InlineData("nightc", "Nightcall - Kavinsky")]
    [InlineData("NIGHT", "Night Drive - Chromatics|Nightcall - Kavinsky")]
    [InlineData("punk", "Daft Punk|Around the World - Daft Punk")]
    [InlineData("ac/d", "AC/DC")]
    [InlineData("beyonce", "Beyoncé")]
    [InlineData("beyoncé", "Beyoncé|Halo - Beyoncé")]
    [InlineData("kavinksy", "Kavinsky")]
    [InlineData("daft pnuk", "Daft Punk")]
    public void Typed_text_completes_to_tracks_and_artists_by_prefix_then_by_a_near_miss(string typed, string expected)
    {
        var got = Names.Complete(typed, 25);

        var want = expected.Split('|');
        Assert.Equal(want, got.Take(want.Length));
    }

    [Fact]
    public void At_most_the_asked_number_come_back_and_nothing_for_nothing_typed()
    {
        var many = Completion.Build([.. Enumerable.Range(1, 100).Select(i => new Track(i, $"Song {i}", "Band", null, []))], ["Band"]);

        Assert.Equal(25, many.Complete("song", 25).Count);
        Assert.Empty(many.Complete("  ", 25));
    }
}
