using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SpotMirror.Worker.Tests;

/// <summary>The eval verbs, in process (and once through the real binary, whose redirected output must get no progress bar), on small data sets written by the test.</summary>
public sealed class EvalVerbTests : IDisposable
{
    private static readonly string[] EngineNames = ["popularity", "content", "collaborative", "learned", "hybrid"];
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
        var result = await SpotMirrorCli.RunAsync(["eval", "--dataset", "hetrec", "--path", WriteHetrec(), "--seed", "3", "--json"]);

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
        Assert.True(engines.GetProperty("collaborative").GetProperty("ndcg_at_10").GetDouble() > engines.GetProperty("popularity").GetProperty("ndcg_at_10").GetDouble());
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
        var result = await SpotMirrorCli.RunAsync(["eval", option, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_group_reports_every_strategy_for_every_kind_and_size()
    {
        var result = await SpotMirrorCli.RunAsync(["eval", "group", "--path", WriteHetrec(), "--groups", "5", "--json"]);

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

    /// <summary>
    /// Deezer splits over the HetRec fixture's artists: the "chill" camp (artists 0-14) is calm and bright,
    /// the "metal" camp (15-29) loud and dark; every artist has three tracks spread around its camp's mood.
    /// </summary>
    private string WriteDeezer()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_folder, "deezer")).FullName;
        foreach (var (file, artists) in new[] { ("train.csv", Enumerable.Range(0, 10).Concat(Enumerable.Range(15, 10))), ("validation.csv", Enumerable.Range(10, 5).Concat(Enumerable.Range(25, 5))) })
        {
            var csv = new StringBuilder("dzr_sng_id,MSD_sng_id,MSD_track_id,valence,arousal,artist_name,track_name\n");
            foreach (var a in artists)
            {
                var (valence, arousal) = a < 15 ? (0.8, -0.9) : (-0.7, 1.1);
                for (var t = 0; t < 3; t++)
                {
                    var spread = ((a * 3) + t) % 5 * 0.1;
                    csv.Append(CultureInfo.InvariantCulture, $"{a}{t},s,t,{valence + spread},{arousal - spread},artist {a},Track {t}\n");
                }
            }
            File.WriteAllText(Path.Combine(dir, file), csv.ToString());
        }
        return dir;
    }

    [Fact]
    public async Task Eval_mood_json_reports_both_lexicons_on_both_splits_and_the_diagnostics()
    {
        var result = await SpotMirrorCli.RunAsync(["eval", "mood", "--hetrec", WriteHetrec(), "--deezer", WriteDeezer(), "--json"]);

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(
            [("hand (shipped)", "train"), ("hand (shipped)", "validation"), ("refit on train", "train"), ("refit on train", "validation")],
            rows.Select(r => (r.GetProperty("lexicon").GetString(), r.GetProperty("split").GetString())));
        // Artist names match case-insensitively ("artist 3" in Deezer, "Artist 3" in HetRec); every artist is tagged.
        Assert.Equal([20, 10, 20, 10], rows.Select(r => r.GetProperty("artists").GetInt32()));
        // "chill" sits calm and bright in the hand lexicon and "metal" loud and dark, as the two camps do.
        Assert.All(rows, r => Assert.True(r.GetProperty("valence_r").GetDouble() > 0.9 && r.GetProperty("arousal_r").GetDouble() > 0.9, r.ToString()));

        var halves = json.RootElement.GetProperty("split_half_train");
        Assert.Equal(20, halves.GetProperty("artists").GetInt32());
        Assert.InRange(halves.GetProperty("valence_r").GetDouble(), 0.5, 1);
        Assert.Equal([0.25, 0.5, 0.75, 1.0], json.RootElement.GetProperty("learning_curve_train").EnumerateArray().Select(c => c.GetProperty("share").GetDouble()));
        var buckets = json.RootElement.GetProperty("validation_by_tag_applications").EnumerateArray().ToList();
        Assert.Equal(10, buckets.Sum(b => b.GetProperty("artists").GetInt32()));
        Assert.Equal(JsonValueKind.Null, buckets[^1].GetProperty("most").ValueKind);
    }

    [Fact]
    public async Task Eval_mood_without_the_deezer_folder_says_which_folder_is_missing()
    {
        var result = await SpotMirrorCli.RunAsync(["eval", "mood", "--hetrec", WriteHetrec(), "--deezer", Path.Combine(_folder, "nowhere")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No data folder at", result.Error, StringComparison.Ordinal);
        Assert.Contains("nowhere", result.Error, StringComparison.Ordinal);
    }
}
