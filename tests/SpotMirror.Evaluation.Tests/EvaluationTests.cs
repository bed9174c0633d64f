using SpotMirror.Core.Evaluation;
using SpotMirror.Evaluation;

namespace SpotMirror.Evaluation.Tests;

public sealed class EvaluationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("spotmirror-fixtures").FullName;

    public EvaluationTests()
    {
        // Tiny files in the real formats, written here: tags.dat in Latin-1 with CRLF, the others mixed.
        var hetrec = Directory.CreateDirectory(Path.Combine(_folder, "hetrec")).FullName;
        File.WriteAllText(Path.Combine(hetrec, "artists.dat"), "id\tname\turl\tpictureURL\n1\tThe Calm Ones\thttp://x\thttp://y\n2\tAngry Men\thttp://x\thttp://y\n3\tBjörk Tribute\thttp://x\thttp://y\n");
        File.WriteAllText(Path.Combine(hetrec, "tags.dat"), "tagID\ttagValue\r\n1\tchill\r\n2\tmetal\r\n3\tcafé music\r\n", System.Text.Encoding.Latin1);
        File.WriteAllText(Path.Combine(hetrec, "user_artists.dat"), "userID\tartistID\tweight\r\n10\t1\t100\r\n10\t2\t5\r\n11\t1\t7\r\n11\t99\t3\r\n");
        File.WriteAllText(Path.Combine(hetrec, "user_taggedartists.dat"),
            "userID\tartistID\ttagID\tday\tmonth\tyear\n10\t1\t1\t1\t1\t2009\n11\t1\t1\t1\t1\t2009\n10\t1\t3\t1\t1\t2009\n10\t2\t2\t1\t1\t2009\n10\t77\t2\t1\t1\t2009\n");
        var deezer = Directory.CreateDirectory(Path.Combine(_folder, "deezer")).FullName;
        File.WriteAllText(Path.Combine(deezer, "train.csv"),
            "dzr_sng_id,MSD_sng_id,MSD_track_id,valence,arousal,artist_name,track_name\n1,a,b,0.5,-1.0,The Calm Ones,\"Slow, Slower\"\n2,a,b,1.5,-0.5,the calm ones,Second\n3,a,b,-1.0,1.2,Angry Men,\"Say \"\"No\"\"\"\n");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Fixture(string name) => Path.Combine(_folder, name);

    [Fact]
    public void Hetrec_reader_handles_latin1_tags_mixed_line_ends_and_unknown_artists()
    {
        var data = HetrecDataset.Load(Fixture("hetrec"));

        Assert.Equal("Björk Tribute", data.Artists[3]);
        Assert.Equal(3, data.Plays.Count);
        Assert.DoesNotContain(data.Plays, p => p.Artist == 99);
        Assert.Equal(2, data.ArtistTags[1]["chill"]);
        Assert.Equal(1, data.ArtistTags[1]["café music"]);
        Assert.False(data.ArtistTags.ContainsKey(77));
    }

    [Fact]
    public void Deezer_reader_reads_quoted_titles_and_numbers()
    {
        var tracks = MoodReferenceData.Load(Path.Combine(Fixture("deezer"), "train.csv"));

        Assert.Equal(3, tracks.Count);
        Assert.Equal(("The Calm Ones", "Slow, Slower", 0.5, -1.0), (tracks[0].Artist, tracks[0].Title, tracks[0].Valence, tracks[0].Arousal));
        Assert.Equal("Say \"No\"", tracks[2].Title);
        var means = MoodCheck.ArtistMeans(tracks);
        Assert.Equal((1.0, -0.75), means["the calm ones"]);
    }

    [Theory]
    [InlineData(42)]
    [InlineData(7)]
    public void A_tuning_split_is_carved_from_the_seeds_training_artists_only(int seed)
    {
        // 30 users with 6 to 15 artists each out of 40; the seed's test artists must never reach the tuner.
        var random = new Random(1);
        var artists = Enumerable.Range(1, 40).ToDictionary(a => a, a => $"artist {a}");
        var plays = Enumerable.Range(1, 30)
            .SelectMany(user => Enumerable.Range(1, 40).OrderBy(_ => random.Next()).Take(6 + (user % 10)).Select(artist => (user, artist, 1L)))
            .ToList();
        var data = new HetrecDataset(artists, plays, new Dictionary<int, IReadOnlyDictionary<string, int>>());
        var split = Holdout.Make(HetrecCatalog.ItemsByUser(data), seed);

        var validation = HybridTuner.Validation(data, seed).Split;

        Assert.Equal(split.Train.Keys.Order(), validation.Train.Keys.Order());
        foreach (var (user, train) in split.Train)
        {
            var seen = validation.Train[user].Concat(validation.Test.GetValueOrDefault(user, [])).Order();
            Assert.Equal(train.Order(), seen);
        }
        Assert.NotEmpty(validation.Test);
    }

    [Fact]
    public void A_missing_data_file_is_named_in_the_error()
    {
        var error = Assert.Throws<FileNotFoundException>(() => HetrecDataset.Load(Fixture("deezer")));
        Assert.Contains("artists.dat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Precision_recall_and_ndcg_on_a_hand_worked_ranking()
    {
        // Ranked 7, 3, 9, 1 against relevant {3, 1, 5}: hits at ranks 2 and 4.
        int[] ranked = [7, 3, 9, 1];
        var relevant = new HashSet<int> { 3, 1, 5 };

        Assert.Equal(0.5, RankingMetrics.PrecisionAt(ranked, relevant, 4));
        Assert.Equal(2.0 / 3, RankingMetrics.RecallAt(ranked, relevant, 4), 12);
        // DCG = 1/log2(3) + 1/log2(5) = 0.63093 + 0.43068; IDCG (3 relevant, k=4) = 1 + 0.63093 + 0.5.
        Assert.Equal((0.630930 + 0.430677) / 2.130930, RankingMetrics.NdcgAt(ranked, relevant, 4), 5);
    }

    [Fact]
    public void Ndcg_with_fewer_relevant_items_than_k_can_still_reach_one()
    {
        // One relevant item, found first: the ideal also has just one hit.
        Assert.Equal(1.0, RankingMetrics.NdcgAt([4, 8, 9], new HashSet<int> { 4 }, 10));
        Assert.Equal(0.1, RankingMetrics.PrecisionAt([4, 8, 9], new HashSet<int> { 4 }, 10));
    }

    [Fact]
    public void A_short_ranking_or_no_hit_scores_zero_not_an_error()
    {
        Assert.Equal(0, RankingMetrics.NdcgAt([], new HashSet<int> { 1 }, 10));
        Assert.Equal(0, RankingMetrics.RecallAt([2, 3], new HashSet<int> { 1 }, 10));
    }

    [Fact]
    public void Ties_in_ranking_keep_their_given_order()
    {
        // The metrics judge the list as given; the rankers break ties by item index (see TopK).
        Assert.True(RankingMetrics.NdcgAt([1, 2], new HashSet<int> { 1 }, 2) > RankingMetrics.NdcgAt([2, 1], new HashSet<int> { 1 }, 2));
    }

    [Fact]
    public void The_split_is_seeded_per_user_holds_out_a_fifth_and_never_leaks()
    {
        var items = Enumerable.Range(1, 50).ToDictionary(u => u, u => Enumerable.Range(u * 100, 3 + (u % 20)).ToArray());

        var a = Holdout.Make(items, seed: 42);
        var b = Holdout.Make(items, seed: 42);
        var c = Holdout.Make(items, seed: 43);

        Assert.Equal(a.Test.Keys.Order(), b.Test.Keys.Order());
        Assert.All(a.Test, kv => Assert.Equal(kv.Value, b.Test[kv.Key]));
        Assert.Contains(a.Test, kv => !kv.Value.SequenceEqual(c.Test[kv.Key]));
        foreach (var (user, all) in items)
        {
            var train = a.Train[user];
            if (all.Length < Holdout.MinItems)
            {
                Assert.False(a.Test.ContainsKey(user));
                Assert.Equal(all.Order(), train);
                continue;
            }
            var test = a.Test[user];
            Assert.Empty(train.Intersect(test));
            Assert.Equal(all.Order(), train.Concat(test).Order());
            Assert.Equal((int)Math.Round(all.Length * 0.2, MidpointRounding.AwayFromZero), test.Length);
        }
    }

    [Fact]
    public void Popularity_counts_only_training_listeners()
    {
        var data = HetrecDataset.Load(Fixture("hetrec"));
        var split = new Split(new Dictionary<int, int[]> { [10] = [1], [11] = [1] }, new Dictionary<int, int[]> { [10] = [2] });

        var catalog = HetrecCatalog.Build(data, split);

        Assert.True(catalog.Index.TryGetItem(2, out var held));
        Assert.Equal(0, catalog.Index[held].Listeners);
        Assert.True(catalog.Index.TryGetItem(1, out var listened));
        Assert.Equal((2L, 107L), (catalog.Index[listened].Listeners!.Value, catalog.Index[listened].Playcount!.Value));
    }
}
