using SpotMirror.Core.Formats;
using SpotMirror.Storage.Catalog;

namespace SpotMirror.Storage.Tests;

public sealed class CsvTests
{
    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks()
    {
        var rows = Csv.Read(new StringReader("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x,\n")).ToList();

        Assert.Equal(["a", "b, c", "say \"hi\""], rows[0].Fields);
        Assert.Equal(["two\nlines", "x", ""], rows[1].Fields);
        Assert.Equal(2, rows[1].Line);
    }

    [Fact]
    public void An_unclosed_quote_is_an_error_that_names_the_line()
    {
        var error = Assert.Throws<FormatException>(() => Csv.Read(new StringReader("a,b\n\"open,c\n")).ToList());
        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tracks_are_read_by_header_name_in_any_column_order()
    {
        var (tracks, problems) = TrackCsv.Read(new StringReader("tags,artist,title,year,listeners\nrock;indie,The Band,A Song,1999,1200\n"));

        Assert.Empty(problems);
        var track = Assert.Single(tracks);
        Assert.Equal(("A Song", "The Band", 1999, 1200L), (track.Title, track.Artist, track.Year, track.Listeners));
        Assert.Equal([("rock", 100f), ("indie", 90f)], track.Tags.Select(t => (t.Tag, t.Weight)));
    }

    [Fact]
    public void Tags_may_carry_explicit_weights()
    {
        Assert.Equal([("rock", 80f), ("sad", 15.5f)], TrackCsv.ParseTags("Rock:80 | sad:15.5")!.Select(t => (t.Tag, t.Weight)));
    }

    [Theory]
    [InlineData("title,artist,tags\n,Someone,rock\n", "must not be empty")]
    [InlineData("title,artist,tags,year\nA,B,rock,nineteen\n", "year")]
    [InlineData("title,artist,tags,listeners\nA,B,rock,-5\n", "listeners")]
    [InlineData("title,artist,tags\nA,B,rock:900\n", "tag weight")]
    public void Bad_rows_are_reported_with_a_reason_and_skipped(string csv, string reason)
    {
        var (tracks, problems) = TrackCsv.Read(new StringReader(csv));

        Assert.Empty(tracks);
        Assert.Contains(reason, Assert.Single(problems).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name,artist\nA,B\n")]
    [InlineData("")]
    public void A_file_without_the_required_header_is_refused(string csv) =>
        Assert.Throws<FormatException>(() => TrackCsv.Read(new StringReader(csv)));
}
