using SpotMirror.Core.Preferences;

namespace SpotMirror.Core.Tests;

public sealed class PreferenceMatrixTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan HalfLife = TimeSpan.FromDays(90);
    private readonly PreferenceMatrix _matrix = new(new PreferenceLearner(new LearningOptions()), Epoch);

    public void Dispose() => _matrix.Dispose();

    private static PreferenceEntry Entry(long user, long track, double score, int hardDislikes = 0) =>
        new(user, track, score, Epoch, hardDislikes);

    [Fact]
    public void Load_counts_users_with_a_positive_score_per_track()
    {
        _matrix.Load([Entry(1, 10, 1), Entry(2, 10, 2), Entry(2, 11, -1), Entry(3, 12, 0.5)]);

        var counts = _matrix.PositiveCounts();

        Assert.Equal(2, counts[10]);
        Assert.False(counts.ContainsKey(11));
        Assert.Equal(1, counts[12]);
        Assert.Equal(3, _matrix.UserCount);
    }

    [Fact]
    public void Set_replaces_an_entry_and_keeps_counts_right()
    {
        _matrix.Load([Entry(1, 10, 1), Entry(2, 10, 2)]);

        _matrix.Set([Entry(1, 10, 3)]);   // positive to positive: still one liker
        Assert.Equal(2, _matrix.PositiveCounts()[10]);

        _matrix.Set([Entry(1, 10, -1)]);  // positive to negative: one fewer
        Assert.Equal(1, _matrix.PositiveCounts()[10]);

        _matrix.Set([Entry(1, 10, 2)]);   // back to positive
        Assert.Equal(2, _matrix.PositiveCounts()[10]);
    }

    [Fact]
    public void RemoveUser_takes_their_likes_out_of_the_counts()
    {
        _matrix.Load([Entry(1, 10, 1), Entry(2, 10, 2), Entry(2, 11, 1), Entry(2, 12, -1)]);

        _matrix.RemoveUser(2);

        var counts = _matrix.PositiveCounts();
        Assert.Equal(1, counts[10]);
        Assert.False(counts.ContainsKey(11));
        Assert.True(_matrix.TasteOf(2).IsEmpty);
        Assert.Equal(1, _matrix.UserCount);
    }

    [Fact]
    public void RemoveUser_of_an_unknown_user_changes_nothing()
    {
        _matrix.Load([Entry(1, 10, 1)]);

        _matrix.RemoveUser(99);

        Assert.Equal(1, _matrix.PositiveCounts()[10]);
        Assert.Equal(1, _matrix.UserCount);
    }

    [Fact]
    public void RemoveUser_takes_them_out_of_the_columns()
    {
        _matrix.Load([Entry(1, 10, 1), Entry(2, 10, 2)]);

        _matrix.RemoveUser(2);

        var column = _matrix.Read((_, columns) => columns[10].Keys.ToArray());
        Assert.Equal([1L], column);
    }

    [Fact]
    public void Hidden_tracks_appear_in_the_taste()
    {
        _matrix.Load([Entry(1, 10, -2, hardDislikes: 1), Entry(1, 11, 1)]);

        var taste = _matrix.TasteOf(1);

        Assert.Contains(10L, taste.Hidden);
        Assert.DoesNotContain(11L, taste.Hidden);
        Assert.Equal(-2.0, taste.Scores[10], 10);
    }

    [Fact]
    public void One_cell_reads_as_the_users_taste_holds_it_and_an_unknown_cell_or_user_is_none()
    {
        _matrix.Load([Entry(1, 10, -2, hardDislikes: 1), Entry(1, 11, 1.5), Entry(1, 12, 0, hardDislikes: 1)]);
        var taste = _matrix.TasteOf(1);

        foreach (var track in new long[] { 10, 11, 12, 13 })
        {
            var (scaled, hidden) = _matrix.CellOf(1, track);
            Assert.Equal(taste.Scores.TryGetValue(track, out var score) ? score : null, scaled);
            Assert.Equal(taste.Hidden.Contains(track), hidden);
        }
        Assert.Equal(((double?)null, false), _matrix.CellOf(2, 10));
    }

    [Fact]
    public void Hidden_track_with_zero_score_keeps_the_user()
    {
        _matrix.Load([Entry(1, 10, 0, hardDislikes: 1)]);

        var taste = _matrix.TasteOf(1);

        Assert.Contains(10L, taste.Hidden);
        Assert.Empty(taste.Scores);
        Assert.Equal(1, _matrix.UserCount);
    }

    [Fact]
    public void Taking_back_a_hard_dislike_unhides()
    {
        _matrix.Load([Entry(1, 10, -2, hardDislikes: 1)]);

        _matrix.Set([Entry(1, 10, -0.5)]);

        Assert.Empty(_matrix.TasteOf(1).Hidden);
    }

    [Fact]
    public void Entry_back_to_zero_without_dislikes_disappears()
    {
        _matrix.Load([Entry(1, 10, 1), Entry(2, 10, 1)]);

        _matrix.Set([Entry(1, 10, 0)]);

        Assert.True(_matrix.TasteOf(1).IsEmpty);
        Assert.Empty(_matrix.TasteOf(1).Hidden);
        Assert.Equal(1, _matrix.UserCount);
        Assert.Equal(1, _matrix.PositiveCounts()[10]);
        Assert.Equal([2L], _matrix.Read((_, columns) => columns[10].Keys.ToArray()));
    }

    [Fact]
    public void Scores_are_kept_scaled_to_the_epoch()
    {
        // A score of 4 given one half-life after the epoch is worth 4 * 2 = 8 at the epoch.
        _matrix.Load([new PreferenceEntry(1, 10, 4, Epoch + HalfLife, 0)]);

        Assert.Equal(8.0, _matrix.TasteOf(1).Scores[10], 10);
    }

    [Theory]
    [InlineData(90, 90, 4.0)]    // read at the moment it was given: unchanged
    [InlineData(90, 180, 2.0)]   // one half-life later: half
    [InlineData(0, 180, 1.0)]    // two half-lives later: a quarter
    [InlineData(180, 90, 8.0)]   // read before it was given: the scale runs both ways
    public void Effective_recovers_the_score_as_it_stands_at_another_time(int givenDay, int readDay, double expected)
    {
        _matrix.Load([new PreferenceEntry(1, 10, 4, Epoch + TimeSpan.FromDays(givenDay), 0)]);
        var scaled = _matrix.TasteOf(1).Scores[10];

        Assert.Equal(expected, _matrix.Effective(scaled, Epoch + TimeSpan.FromDays(readDay)), 9);
    }

    [Fact]
    public void Unknown_user_has_an_empty_taste()
    {
        var taste = _matrix.TasteOf(5);

        Assert.Equal(5, taste.UserId);
        Assert.True(taste.IsEmpty);
        Assert.Empty(taste.Hidden);
    }

    [Fact]
    public void Taste_is_a_copy()
    {
        _matrix.Load([Entry(1, 10, 1)]);
        var before = _matrix.TasteOf(1);

        _matrix.Set([Entry(1, 11, 1)]);

        Assert.Single(before.Scores);
        Assert.Equal(2, _matrix.TasteOf(1).Scores.Count);
    }

    [Fact]
    public void Rows_and_columns_agree_with_a_plain_dictionary_after_thousands_of_random_changes()
    {
        // The rows and columns are arrays that grow, shrink and are compacted; a dictionary of cells is the reference.
        var random = new Random(5);
        var reference = new Dictionary<(long User, long Track), double>();
        for (var round = 0; round < 40; round++)
        {
            var batch = Enumerable.Range(0, 100).Select(_ =>
            {
                var score = random.Next(4) == 0 ? 0 : Math.Round((random.NextDouble() * 4) - 1, 3);
                return Entry(random.Next(1, 20), random.Next(1, 60), score);
            }).ToList();
            if (round % 3 == 0) _matrix.Load(batch);
            else _matrix.Set(batch);
            foreach (var e in batch)
            {
                if (Math.Abs(e.Score) >= 1e-9) reference[(e.UserId, e.TrackId)] = e.Score;
                else reference.Remove((e.UserId, e.TrackId));
            }
            if (round % 10 == 9)
            {
                var gone = random.Next(1, 20);
                _matrix.RemoveUser(gone);
                foreach (var cell in reference.Keys.Where(c => c.User == gone).ToList()) reference.Remove(cell);
            }
        }

        foreach (var user in Enumerable.Range(1, 19))
        {
            var expected = reference.Where(kv => kv.Key.User == user).ToDictionary(kv => kv.Key.Track, kv => kv.Value);
            var taste = _matrix.TasteOf(user).Scores;
            Assert.Equal(expected.OrderBy(kv => kv.Key), taste.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(kv.Key, Math.Round(kv.Value, 9))));
            var norm = Math.Sqrt(expected.Values.Sum(v => v * v));
            Assert.Equal(norm, _matrix.Read((rows, _) => rows.TryGetValue(user, out var row) ? row.Norm : 0), 9);
        }
        var columns = _matrix.Read((_, cols) => cols.ToDictionary(kv => kv.Key, kv => kv.Value.Keys.ToArray().Order().ToArray()));
        var expectedColumns = reference.Keys.GroupBy(c => c.Track).ToDictionary(g => g.Key, g => g.Select(c => c.User).Order().ToArray());
        Assert.Equal(expectedColumns.OrderBy(kv => kv.Key).Select(kv => (kv.Key, string.Join(',', kv.Value))), columns.OrderBy(kv => kv.Key).Select(kv => (kv.Key, string.Join(',', kv.Value))));
        var positives = reference.Where(kv => kv.Value > 0).GroupBy(kv => kv.Key.Track).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(positives.OrderBy(kv => kv.Key), _matrix.PositiveCounts().OrderBy(kv => kv.Key));
    }

    // The orders a load meets: a table scan's (users together, tracks ascending), users together with their tracks in
    // any order, any order at all, track ids far past a catalogue's row ids (and some on either side of 2^24), and a
    // cell given twice (the fast build gives up and the entries are applied in order).
    [Theory]
    [InlineData("shuffled", 0L, false)]
    [InlineData("scan", 0L, false)]
    [InlineData("users together", 0L, false)]
    [InlineData("shuffled", 1L << 40, false)]
    [InlineData("scan", (1L << 24) - 40, false)]
    [InlineData("scan", 0L, true)]
    [InlineData("shuffled", 0L, true)]
    public void A_bulk_load_of_distinct_cells_builds_what_setting_them_one_by_one_builds(string order, long trackOffset, bool repeatACell)
    {
        var random = new Random(9);
        var drawn = Enumerable.Range(1, 30).SelectMany(u => Enumerable.Range(1, 80).Select(t => (User: (long)u, Track: t + trackOffset)))
            .Where(_ => random.Next(3) == 0).ToList();
        var cells = order switch
        {
            "scan" => drawn,
            "users together" => drawn.GroupBy(c => c.User).SelectMany(g => g.OrderBy(_ => random.Next())).ToList(),
            _ => drawn.OrderBy(_ => random.Next()).ToList(),
        };
        if (repeatACell) cells.Insert(cells.Count / 2 + 1, cells[cells.Count / 2]);
        var entries = cells.Select(c => random.Next(10) switch
        {
            0 => Entry(c.User, c.Track, 0, hardDislikes: 1),
            1 => Entry(c.User, c.Track, -2, hardDislikes: 1),
            2 => Entry(c.User, c.Track, 0),
            _ => Entry(c.User, c.Track, Math.Round((random.NextDouble() * 4) - 1, 3)),
        }).ToList();
        using var oneByOne = new PreferenceMatrix(new PreferenceLearner(new LearningOptions()), Epoch);
        foreach (var entry in entries) oneByOne.Set([entry]);

        var load = _matrix.StartLoad();
        load.Add(entries.Take(100).ToList());
        load.Add(entries.Skip(100).ToList());
        load.Finish();

        Assert.Equal(oneByOne.UserCount, _matrix.UserCount);
        foreach (var user in Enumerable.Range(1, 30))
        {
            var (expected, actual) = (oneByOne.TasteOf(user), _matrix.TasteOf(user));
            Assert.Equal(expected.Scores.OrderBy(kv => kv.Key), actual.Scores.OrderBy(kv => kv.Key));
            Assert.Equal(expected.Hidden.Order(), actual.Hidden.Order());
            Assert.Equal(Norm(oneByOne, user), Norm(_matrix, user), 9);
        }
        Assert.Equal(Columns(oneByOne), Columns(_matrix));
        Assert.Equal(oneByOne.PositiveCounts().OrderBy(kv => kv.Key), _matrix.PositiveCounts().OrderBy(kv => kv.Key));

        static double Norm(PreferenceMatrix m, long user) => m.Read((rows, _) => rows.TryGetValue(user, out var row) ? row.Norm : 0);
        static List<string> Columns(PreferenceMatrix m) => m.Read((_, cols) =>
            cols.OrderBy(kv => kv.Key).Select(kv => kv.Key + ":" + string.Join(',', kv.Value.Keys.ToArray().Order())).ToList());
    }
}
