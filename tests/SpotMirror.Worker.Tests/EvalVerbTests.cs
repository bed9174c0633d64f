using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SpotMirror.Worker.Tests;

/// <summary>The eval verbs through the real process, on small data sets written by the test.</summary>
public sealed class EvalVerbTests : IDisposable
{
    private static readonly string[] EngineNames = ["popularity", "content", "user-cf", "ease", "hybrid"];
    private readonly string _folder = Directory.CreateTempSubdirectory("spotmirror-eval").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>40 users in two taste camps over 30 artists, tagged by camp; users 0-19 like artists 0-14.</summary>
    private string WriteHetrec()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_folder, "hetrec")).FullName;
        var random = new Random(5);
        File.WriteAllText(Path.Combine(dir, "artists.dat"), "id\tname\turl\tpictureURL\n" + string.Concat(Enumerable.Range(0, 30).Select(a => $"{a}\tArtist {a}\tu\tp\n")));
        File.WriteAllText(Path.Combine(dir, "tags.dat"), "tagID\ttagValue\r\n1\tchill\r\n2\tmetal\r\n", Encoding.Latin1);
        var plays = new StringBuilder("userID\tartistID\tweight\r\n");
        var tagged = new StringBuilder("userID\tartistID\ttagID\tday\tmonth\tyear\n");
        for (var u = 0; u < 40; u++)
        {
            var camp = u < 20 ? 0 : 15;
            foreach (var a in Enumerable.Range(camp, 15).OrderBy(_ => random.Next()).Take(8))
            {
                plays.Append(CultureInfo.InvariantCulture, $"{u}\t{a}\t{random.Next(1, 500)}\r\n");
                tagged.Append(CultureInfo.InvariantCulture, $"{u}\t{a}\t{(camp == 0 ? 1 : 2)}\t1\t1\t2010\n");
            }
        }
        File.WriteAllText(Path.Combine(dir, "user_artists.dat"), plays.ToString());
        File.WriteAllText(Path.Combine(dir, "user_taggedartists.dat"), tagged.ToString());
        return dir;
    }

    [Fact]
    public async Task Eval_json_reports_every_engine_with_figures_in_range_and_taste_beats_popularity()
    {
        var result = await SpotMirrorProcess.RunAsync(["eval", "--dataset", "hetrec", "--path", WriteHetrec(), "--seed", "3", "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var engines = json.RootElement.GetProperty("engines");
        foreach (var engine in EngineNames)
        {
            var figures = engines.GetProperty(engine);
            foreach (var metric in new[] { "p_at_10", "r_at_10", "r_at_20", "ndcg_at_10", "coverage" })
            {
                Assert.InRange(figures.GetProperty(metric).GetDouble(), 0, 1);
            }
            Assert.Equal(40, figures.GetProperty("users").GetInt32());
        }
        Assert.True(engines.GetProperty("user-cf").GetProperty("ndcg_at_10").GetDouble() > engines.GetProperty("popularity").GetProperty("ndcg_at_10").GetDouble());
        Assert.True(engines.GetProperty("content").GetProperty("r_at_20").GetDouble() > 0.5);
    }

    [Fact]
    public async Task Eval_table_goes_to_standard_output_without_a_progress_bar_when_redirected()
    {
        var result = await SpotMirrorProcess.RunAsync(["eval", "--path", WriteHetrec()]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(result.Lines, l => l.StartsWith("engine ", StringComparison.Ordinal) && l.Contains("NDCG@10", StringComparison.Ordinal));
        var rows = result.Lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[a-z-]+ +[01]\.\d{4} ")).Select(l => l.Split(' ')[0]);
        Assert.Equal(EngineNames, rows);
        Assert.DoesNotContain("[#", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--path", "/nonexistent/hetrec", "No HetRec folder")]
    [InlineData("--dataset", "movielens", "Unknown data set")]
    public async Task Eval_with_bad_arguments_says_what_is_wrong(string option, string value, string message)
    {
        var result = await SpotMirrorProcess.RunAsync(["eval", option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_group_reports_every_strategy_for_every_kind_and_size()
    {
        var result = await SpotMirrorProcess.RunAsync(["eval", "group", "--path", WriteHetrec(), "--groups", "5", "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2 * 3 * 5, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.InRange(r.GetProperty("mean_ndcg_at_10").GetDouble(), 0, 1);
            Assert.InRange(r.GetProperty("worst_ndcg_at_10").GetDouble(), 0, r.GetProperty("mean_ndcg_at_10").GetDouble());
            Assert.InRange(r.GetProperty("no_hit_share").GetDouble(), 0, 1);
        });
        Assert.Equal(["random", "similar"], rows.Select(r => r.GetProperty("kind").GetString()).Distinct());
        Assert.Equal([2, 4, 8], rows.Select(r => r.GetProperty("size").GetInt32()).Distinct());
    }
}
