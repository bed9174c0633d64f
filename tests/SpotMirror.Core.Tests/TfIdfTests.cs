using SpotMirror.Core.Catalog;
using SpotMirror.Testing;

namespace SpotMirror.Core.Tests;

public class TfIdfTests
{
    // Three tracks with titles too short to give title words (under 3 letters), so only tags and artists count.
    //   0: "Aa" by Ana, rock:100, jazz:50
    //   1: "Bb" by Ben, rock:100
    //   2: "Cc" by Ana, pop:100
    // N = 3. df: rock 2, jazz 1, pop 1, a:ana 2, a:ben 1.
    // idf(df=2) = ln(4/3) + 1 = 1.287682; idf(df=1) = ln(4/2) + 1 = 1.693147.
    private static CatalogIndex ThreeTracks() => CatalogIndex.Build(
    [
        Tracks.Make(1, "Aa", "Ana", "rock:100", "jazz:50"),
        Tracks.Make(2, "Bb", "Ben", "rock:100"),
        Tracks.Make(3, "Cc", "Ana", "pop:100"),
    ]);

    private static float Weight(CatalogIndex catalog, int item, string feature)
    {
        var id = catalog.FeatureIds[feature];
        var columns = catalog.Features.ColumnsOf(item);
        var values = catalog.Features.ValuesOf(item);
        for (var k = 0; k < columns.Length; k++)
        {
            if (columns[k] == id) return values[k];
        }
        return 0;
    }

    [Theory]
    [InlineData(1, 1, 1f)]           // ln(2/2) + 1
    [InlineData(3, 1, 1.6931472f)]   // ln(4/2) + 1
    [InlineData(3, 2, 1.2876821f)]   // ln(4/3) + 1
    [InlineData(3, 3, 1f)]           // ln(4/4) + 1
    [InlineData(9, 0, 3.3025851f)]   // ln(10/1) + 1
    public void Idf_is_smoothed_log_ratio_plus_one(int documents, int documentFrequency, float expected)
    {
        Assert.Equal(expected, TfIdf.Idf(documents, documentFrequency), 5);
    }

    [Fact]
    public void Tag_and_artist_weights_match_the_hand_worked_vector()
    {
        var catalog = ThreeTracks();

        // Track 0 raw: rock 1.0 * 1.287682 = 1.287682; jazz (50/100) * 1.693147 = 0.846574;
        // a:ana 0.8 * 1.287682 = 1.030146. Norm = sqrt(1.658125 + 0.716687 + 1.061200) = 1.853648.
        Assert.Equal(0.694674f, Weight(catalog, 0, "t:rock"), 4);
        Assert.Equal(0.456707f, Weight(catalog, 0, "t:jazz"), 4);
        Assert.Equal(0.555740f, Weight(catalog, 0, "a:ana"), 4);

        // Track 1 raw: rock 1.287682; a:ben 0.8 * 1.693147 = 1.354518. Norm 1.868915.
        Assert.Equal(0.689000f, Weight(catalog, 1, "t:rock"), 4);
        Assert.Equal(0.724762f, Weight(catalog, 1, "a:ben"), 4);

        // Track 2 raw: pop 1.693147; a:ana 1.030146. Norm 1.981905.
        Assert.Equal(0.854303f, Weight(catalog, 2, "t:pop"), 4);
        Assert.Equal(0.519775f, Weight(catalog, 2, "a:ana"), 4);
    }

    [Fact]
    public void Track_carries_only_its_own_features()
    {
        var catalog = ThreeTracks();

        Assert.Equal(3, catalog.Features.ColumnsOf(0).Length);
        Assert.Equal(2, catalog.Features.ColumnsOf(1).Length);
        Assert.Equal(0f, Weight(catalog, 1, "t:jazz"));
        Assert.Equal(0f, Weight(catalog, 2, "t:rock"));
    }

    [Fact]
    public void Every_vector_has_unit_length()
    {
        var catalog = CatalogIndex.Build(
        [
            Tracks.Make(1, "Bohemian Rhapsody", "Queen", "rock:100", "classic rock:80", "opera:20"),
            Tracks.Make(2, "Under Pressure", "Queen", "rock:100", "duet:40"),
            Tracks.Make(3, "Heroes", "David Bowie", "rock:90", "art rock:100"),
            Tracks.Make(4, "Silence", "Nobody"),
        ]);

        for (var item = 0; item < catalog.Count; item++)
        {
            var sum = 0f;
            foreach (var v in catalog.Features.ValuesOf(item)) sum += v * v;
            Assert.Equal(1f, sum, 4);
        }
    }

    [Fact]
    public void Title_word_counts_at_title_weight_and_artist_at_artist_weight()
    {
        // One track: every idf is ln(2/2) + 1 = 1. Raw: w:rhapsody 0.3, a:queen 0.8.
        // Norm sqrt(0.09 + 0.64) = 0.854400, so 0.3 / 0.8544 = 0.351123 and 0.8 / 0.8544 = 0.936329.
        var catalog = CatalogIndex.Build([Tracks.Make(1, "Rhapsody", "Queen")]);

        Assert.Equal(0.351123f, Weight(catalog, 0, "w:rhapsody"), 4);
        Assert.Equal(0.936329f, Weight(catalog, 0, "a:queen"), 4);
    }

    [Fact]
    public void Tag_frequency_is_relative_to_the_top_tag_and_scaled_by_the_tag_weight()
    {
        // One track, idf 1 everywhere, ContentWeights.Tag = 2 and no artist or title weight.
        // tf: loud 2 * 60/60 = 2, soft 2 * 30/60 = 1. Norm sqrt(5) = 2.236068.
        var weights = new ContentWeights(Tag: 2f, Artist: 0f, TitleWord: 0f);
        var catalog = CatalogIndex.Build([Tracks.Make(1, "Noise", "Band", "loud:60", "soft:30")], weights: weights);

        Assert.Equal(0.894427f, Weight(catalog, 0, "t:loud"), 4);
        Assert.Equal(0.447214f, Weight(catalog, 0, "t:soft"), 4);
        Assert.Equal(0f, Weight(catalog, 0, "a:band"));
    }

    [Theory]
    [InlineData("The Sound of Silence", "w:sound", true)]
    [InlineData("The Sound of Silence", "w:silence", true)]
    [InlineData("The Sound of Silence", "w:the", false)]
    [InlineData("The Sound of Silence", "w:of", false)]
    [InlineData("Go Your Own Way", "w:way", true)]
    [InlineData("Go Your Own Way", "w:own", true)]
    [InlineData("Go Your Own Way", "w:go", false)]
    [InlineData("Go Your Own Way", "w:your", false)]
    [InlineData("Don't Stop (Live Remastered)", "w:dont", true)]
    [InlineData("Don't Stop (Live Remastered)", "w:live", false)]
    [InlineData("Don't Stop (Live Remastered)", "w:remastered", false)]
    public void Title_words_need_three_letters_and_must_not_be_stop_words(string title, string feature, bool present)
    {
        var catalog = CatalogIndex.Build([Tracks.Make(1, title, "Someone", "rock")]);

        Assert.Equal(present, catalog.FeatureIds.ContainsKey(feature));
    }

    [Fact]
    public void Postings_are_the_transpose_of_the_features()
    {
        var catalog = ThreeTracks();
        var rock = catalog.FeatureIds["t:rock"];

        Assert.Equal([0, 1], catalog.Postings.ColumnsOf(rock).ToArray());
        Assert.Equal(Weight(catalog, 0, "t:rock"), catalog.Postings.ValuesOf(rock)[0]);
        Assert.Equal(Weight(catalog, 1, "t:rock"), catalog.Postings.ValuesOf(rock)[1]);
        Assert.True(catalog.HasTag("Rock"));
        Assert.False(catalog.HasTag("metal"));
    }
}
