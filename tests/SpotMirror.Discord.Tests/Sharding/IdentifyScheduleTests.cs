namespace SpotMirror.Discord.Tests.Sharding;

/// <summary>When each shard may identify: its bucket is shard_id % max_concurrency, and a bucket's shards take 5 s turns by wall time.</summary>
public sealed class IdentifyScheduleTests
{
    private static DateTimeOffset At(double seconds) => DateTimeOffset.UnixEpoch + TimeSpan.FromSeconds(seconds);

    [Theory]
    [InlineData(0, 4, 2, 0, 0)]
    [InlineData(1, 4, 2, 1, 0)]
    [InlineData(2, 4, 2, 0, 1)]
    [InlineData(3, 4, 2, 1, 1)]
    [InlineData(5, 16, 16, 5, 0)]
    [InlineData(1, 2, 1, 0, 1)]
    public void A_shards_bucket_is_its_id_modulo_max_concurrency_and_its_turn_the_quotient(int shard, int count, int concurrency, int bucket, int turn)
    {
        var schedule = new IdentifySchedule(shard, count, concurrency);

        Assert.Equal((bucket, turn), (schedule.Bucket, schedule.Turn));
    }

    [Theory]
    // shard, count, max_concurrency, now (s), last identify (s, or -1 for never), expected (s)
    [InlineData(0, 1, 1, 12.5, -1, 12.5)]
    [InlineData(0, 1, 1, 12.5, 10, 15)]
    [InlineData(0, 1, 1, 12.5, 5, 12.5)]
    [InlineData(1, 2, 2, 12.5, -1, 12.5)]
    [InlineData(0, 2, 1, 12.5, -1, 20)]
    [InlineData(1, 2, 1, 12.5, -1, 15)]
    [InlineData(1, 2, 1, 15, -1, 15)]
    [InlineData(0, 2, 1, 15, -1, 20)]
    [InlineData(1, 2, 1, 15, 14, 25)]
    [InlineData(2, 4, 2, 1, -1, 5)]
    [InlineData(3, 4, 2, 6, -1, 15)]
    public void A_shard_identifies_five_seconds_after_its_last_and_in_its_own_window_when_its_bucket_is_shared(
        int shard, int count, int concurrency, double now, double last, double expected)
    {
        var schedule = new IdentifySchedule(shard, count, concurrency);

        var next = schedule.Next(At(now), last < 0 ? DateTimeOffset.MinValue : At(last));

        Assert.Equal(At(expected), next);
    }

    [Fact]
    public void Shards_of_one_bucket_never_identify_in_the_same_window_whenever_they_start()
    {
        var shards = Enumerable.Range(0, 6).Select(id => new IdentifySchedule(id, 6, 2)).ToList();

        for (var now = 0.0; now < 120; now += 0.7)
        {
            var starts = shards.Select(s => (s.Bucket, Window: (long)((s.Next(At(now), DateTimeOffset.MinValue) - DateTimeOffset.UnixEpoch).TotalSeconds / 5))).ToList();
            Assert.Equal(starts.Count, starts.Distinct().Count());
            Assert.All(shards, s => Assert.True(s.Next(At(now), DateTimeOffset.MinValue) >= At(now)));
        }
    }
}
