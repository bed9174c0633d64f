using Dapper;
using Microsoft.Extensions.Time.Testing;
using SpotMirror.Core.Ports;
using SpotMirror.Testing.LastFm;

namespace SpotMirror.LastFm.Tests;

public sealed class CacheTests
{
    private static readonly TrackRef Hurt = new("Johnny Cash", "Hurt");

    [Fact]
    public async Task A_repeated_question_is_answered_from_the_cache_without_a_call()
    {
        await using var rig = await LastFmRig.StartAsync();
        var first = await rig.Provider.TrackInfoAsync(Hurt, CancellationToken.None);
        var calls = rig.Fake.Requests.Count;

        var second = await rig.Provider.TrackInfoAsync(Hurt, CancellationToken.None);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal(first.Listeners, second.Listeners);
        Assert.Equal(first.Tags, second.Tags);
        Assert.Equal(calls, rig.Fake.Requests.Count);
        Assert.Equal(2, rig.Pacer.CacheHits);
    }

    [Fact]
    public async Task An_expired_answer_is_fetched_again()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var rig = await LastFmRig.StartAsync(cacheHours: 24, clock: clock);
        await rig.Provider.TagTopTracksAsync("chill", 3, CancellationToken.None);

        clock.Advance(TimeSpan.FromHours(23));
        await rig.Provider.TagTopTracksAsync("chill", 3, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(2));
        await rig.Provider.TagTopTracksAsync("chill", 3, CancellationToken.None);

        Assert.Equal(2, rig.Fake.Count("tag.getTopTracks"));
    }

    [Fact]
    public async Task Cache_keys_never_hold_the_key_and_peoples_own_lists_are_never_kept()
    {
        await using var rig = await LastFmRig.StartAsync();
        await rig.Provider.TrackInfoAsync(Hurt, CancellationToken.None);
        await rig.Provider.UserTopTracksAsync("rj", 10, CancellationToken.None);
        await rig.Provider.UserLovedTracksAsync("rj", 10, CancellationToken.None);
        await rig.Provider.UserTopTracksAsync("rj", 10, CancellationToken.None);

        var keys = (await rig.Db.Database.ReadAsync(c => c.QueryAsync<string>("SELECT key FROM provider_cache"), CancellationToken.None)).ToList();
        var bodies = string.Concat(await rig.Db.Database.ReadAsync(c => c.QueryAsync<string>("SELECT body FROM provider_cache"), CancellationToken.None));

        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.DoesNotContain(FakeLastFmServer.DefaultKey, k, StringComparison.Ordinal));
        Assert.DoesNotContain(keys, k => k.StartsWith("user.", StringComparison.Ordinal));
        Assert.DoesNotContain(FakeLastFmServer.DefaultKey, bodies, StringComparison.Ordinal);
        Assert.Equal(2, rig.Fake.Count("user.getTopTracks"));
    }

    [Fact]
    public async Task With_the_cache_off_every_question_is_a_call()
    {
        await using var rig = await LastFmRig.StartAsync(cacheHours: 0);

        await rig.Provider.TagTopTracksAsync("sad", 3, CancellationToken.None);
        await rig.Provider.TagTopTracksAsync("sad", 3, CancellationToken.None);

        Assert.Equal(2, rig.Fake.Count("tag.getTopTracks"));
        Assert.Equal(0, await rig.Cache.CountAsync(CancellationToken.None));
    }

    [Fact]
    public void The_cache_key_is_the_method_and_sorted_parameters()
    {
        var key = LastFmClient.CacheKey("track.getInfo", [KeyValuePair.Create("track", "Hurt"), KeyValuePair.Create("artist", "Johnny Cash")]);

        Assert.Equal("track.getinfo?artist=Johnny%20Cash&track=Hurt", key);
    }
}
