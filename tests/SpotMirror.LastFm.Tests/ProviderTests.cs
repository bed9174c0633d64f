using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Testing.LastFm;

namespace SpotMirror.LastFm.Tests;

/// <summary>The provider's answers to each question of the port, read from the fake's real-shaped JSON.</summary>
public sealed class ProviderTests
{
    [Fact]
    public async Task Track_info_has_listeners_play_count_weighted_top_tags_and_the_page_as_id()
    {
        await using var rig = await LastFmRig.StartAsync();

        var track = await rig.Provider.TrackInfoAsync(new TrackRef("johnny cash", "hurt"), CancellationToken.None);

        Assert.NotNull(track);
        Assert.Equal(("Hurt", "Johnny Cash"), (track.Title, track.Artist));
        Assert.Equal((1_200_000L, 9_000_000L), (track.Listeners!.Value, track.Playcount!.Value));
        Assert.Equal([new TagWeight("country", 100), new TagWeight("sad", 80), new TagWeight("covers", 30)], track.Tags);
        Assert.Equal(("lastfm", "johnny cash/_/hurt"), (track.Provider, track.ProviderId));
    }

    [Fact]
    public async Task A_tag_with_one_track_comes_as_a_bare_object_and_still_reads_as_a_list_of_one()
    {
        var world = new LastFmWorld();
        world.Add(new FakeTrack("Nujabes", "Feather", 300_000, 2_000_000, [new("jazz hop", 100)]));
        await using var rig = await LastFmRig.StartAsync(world: world);

        var tracks = await rig.Provider.TagTopTracksAsync("jazz hop", 10, CancellationToken.None);

        var track = Assert.Single(tracks);
        Assert.Equal("Feather", track.Title);
    }

    [Fact]
    public async Task Tag_top_tracks_come_in_Last_fms_order_with_ids_even_without_images()
    {
        await using var rig = await LastFmRig.StartAsync();

        var tracks = await rig.Provider.TagTopTracksAsync("happy", 10, CancellationToken.None);

        Assert.Equal(["Don't Worry Be Happy", "Happy", "Walking on Sunshine", "Don't Stop Me Now"], tracks.Select(t => t.Title));
        Assert.Equal("bobby mcferrin/_/don't worry be happy", tracks[0].ProviderId);
        Assert.All(tracks, t => Assert.Null(t.Listeners));
    }

    [Fact]
    public async Task Search_reads_the_artist_as_a_string_and_listeners_from_a_string()
    {
        await using var rig = await LastFmRig.StartAsync();

        var found = await rig.Provider.SearchTracksAsync("happy", 5, CancellationToken.None);

        Assert.Equal("Pharrell Williams", found[0].Artist);
        Assert.Equal(1_900_000, found[0].Listeners);
    }

    [Fact]
    public async Task Similar_tracks_carry_Last_fms_match_sent_as_a_number()
    {
        await using var rig = await LastFmRig.StartAsync();

        var similar = await rig.Provider.SimilarTracksAsync(new TrackRef("Bonobo", "Kiara"), 3, CancellationToken.None);

        Assert.NotEmpty(similar);
        Assert.All(similar, s => Assert.InRange(s.Match!.Value, 0.0, 1.0));
        Assert.Equal(similar.OrderByDescending(s => s.Match).Select(s => s.Title), similar.Select(s => s.Title));
    }

    [Fact]
    public async Task A_users_top_and_loved_tracks_leave_out_the_users_own_play_counts()
    {
        await using var rig = await LastFmRig.StartAsync();

        var top = await rig.Provider.UserTopTracksAsync("rj", 10, CancellationToken.None);
        var loved = await rig.Provider.UserLovedTracksAsync("rj", 10, CancellationToken.None);

        Assert.Equal(["Aruarian Dance", "Hurt", "Happy"], top.Select(t => t.Title));
        Assert.Equal(["Aruarian Dance", "Weightless"], loved.Select(t => t.Title));
        Assert.All(top, t => Assert.Null(t.Playcount));
    }

    [Fact]
    public async Task A_user_with_nothing_has_empty_lists()
    {
        await using var rig = await LastFmRig.StartAsync();

        Assert.Empty(await rig.Provider.UserTopTracksAsync("quiet", 10, CancellationToken.None));
        Assert.Empty(await rig.Provider.UserLovedTracksAsync("quiet", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Limits_are_honoured_even_when_Last_fm_sends_more()
    {
        await using var rig = await LastFmRig.StartAsync();

        var tracks = await rig.Provider.TagTopTracksAsync("sad", 2, CancellationToken.None);

        Assert.Equal(2, tracks.Count);
        Assert.Equal("2", rig.Fake.Requests.Single(r => r.Is("tag.getTopTracks"))["limit"]);
    }
}
