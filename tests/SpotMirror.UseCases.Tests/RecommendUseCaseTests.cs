using SpotMirror.Core.Group;
using SpotMirror.Core.Ranking;

namespace SpotMirror.UseCases.Tests;

/// <summary>Recommend and the group pool, as every front end and `eval` ask for them.</summary>
public sealed class RecommendUseCaseTests
{
    [Fact]
    public async Task A_mood_nobody_knows_gets_suggestions_and_no_list()
    {
        using var rig = await UseCaseRig.StartAsync();
        var recommend = new RecommendUseCase(rig.Recommender, new HybridOptions());

        var answer = recommend.Mood(null, "chil", 5);

        Assert.Null(answer.Target);
        Assert.Empty(answer.Tracks);
        Assert.Contains("chill", answer.Suggestions);
    }

    [Fact]
    public async Task Someone_unknown_still_gets_a_mood_list()
    {
        using var rig = await UseCaseRig.StartAsync();
        var recommend = new RecommendUseCase(rig.Recommender, new HybridOptions());

        var answer = recommend.Mood(null, "chill", 5);

        Assert.Equal("chill", answer.Target?.Label);
        Assert.Equal(5, answer.Tracks.Count);
    }

    [Fact]
    public async Task A_track_id_is_a_seed_and_an_unknown_tag_is_said_to_be_unknown()
    {
        using var rig = await UseCaseRig.StartAsync();
        var recommend = new RecommendUseCase(rig.Recommender, new HybridOptions());
        var track = rig.Recommender.Catalog[0];

        var similar = recommend.Similar(null, track.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), 5);
        var popular = recommend.Popular("no such tag at all", 5);

        Assert.Equal($"{track.Title} - {track.Artist}", similar.Seed?.Label);
        Assert.DoesNotContain(track.Id, similar.Tracks.Select(r => r.Track.Id));
        Assert.True(popular.UnknownTag);
    }

    [Fact]
    public async Task The_group_pool_holds_each_members_own_list_once_without_what_is_left_out()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var ben = await rig.UserAsync("ben");
        var anas = rig.Recommender.Recommend(new RecommendationRequest { UserId = ana, Count = GroupPlaylistUseCase.PoolPerMember });
        var left = anas[0].Track.Id;

        var pool = GroupPlaylistUseCase.Pool(rig.Recommender, [ana, ben], mood: null, exclude: new HashSet<long> { left });

        Assert.DoesNotContain(left, pool.Tracks);
        Assert.Equal(pool.Tracks.Count, pool.Tracks.Distinct().Count());
        Assert.Equal(anas.Skip(1).Select(r => r.Track.Id), pool.Tracks.Take(anas.Count - 1));
        Assert.All(pool.Scores, s => Assert.Equal(pool.Tracks.Count, s.Length));
        Assert.Equal(10, GroupPlaylistUseCase.Choose(pool, 10, GroupStrategy.ProportionalFairness).Items.Count);
        Assert.Empty(GroupPlaylistUseCase.Choose(new GroupPool([], []), 10, GroupStrategy.Average).Items);
    }
}
