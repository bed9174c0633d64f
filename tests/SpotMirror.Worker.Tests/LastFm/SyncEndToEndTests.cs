using SpotMirror.Testing.LastFm;

namespace SpotMirror.Worker.Tests.LastFm;

/// <summary>`catalog sync` as a real process against the fake Last.fm: what lands in the catalogue, and what a second run does.</summary>
public sealed class SyncEndToEndTests
{
    // The sample world's happy, sad and chill top 4s: twelve tracks, five of them in the starter catalogue.
    private const string FirstRun = "Done: 12 tracks from Last.fm: 7 added, 5 updated, 0 unchanged, 0 not found.";
    private const string NothingNew = "Done: 12 tracks from Last.fm: 0 added, 0 updated, 12 unchanged, 0 not found.";

    [Fact]
    public async Task A_sync_stores_each_tags_top_tracks_with_real_counts_tags_and_provider_ids()
    {
        await using var host = await LastFmHost.StartAsync();

        var run = await host.SyncAsync();

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Syncing from Last.fm: 3 tag(s), up to 4 tracks each, 12 tracks planned.", run.Lines);
        Assert.Contains(FirstRun, run.Lines);
        Assert.Equal(1_200_000, await host.ListenersAsync("Hurt", "Johnny Cash"));
        Assert.Equal(9_000_000L, await host.ScalarAsync<long>("SELECT playcount FROM tracks WHERE title = 'Hurt'"));
        Assert.Equal(["country:100", "sad:80", "covers:30"], await host.QueryAsync<string>(
            "SELECT tag || ':' || CAST(weight AS INTEGER) FROM track_tags tt JOIN tracks t ON t.id = tt.track_id WHERE t.title = 'Hurt' ORDER BY weight DESC"));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM track_provider_ids WHERE provider = 'lastfm' AND provider_id = 'johnny cash/_/hurt'"));
        // A starter track is matched by artist and title, not duplicated, and keeps both ids.
        Assert.Equal(1, await host.TrackCountAsync("Happy", "Pharrell Williams"));
        Assert.Equal(1_900_000, await host.ListenersAsync("Happy", "Pharrell Williams"));
        Assert.Equal(["lastfm", "starter"], await host.QueryAsync<string>(
            "SELECT p.provider FROM track_provider_ids p JOIN tracks t ON t.id = p.track_id WHERE t.title = 'Happy' ORDER BY p.provider"));
        // The same title by another artist is another track.
        Assert.Equal(1, await host.TrackCountAsync("Mad World", "Gary Jules"));
        Assert.Equal(1, await host.TrackCountAsync("Mad World", "Tears for Fears"));
        Assert.Equal((3, 12, 12), (host.Fake.Count("tag.getTopTracks"), host.Fake.Count("track.getInfo"), host.Fake.Count("track.getTopTags")));
    }

    [Fact]
    public async Task A_second_sync_changes_nothing_and_is_answered_from_the_cache()
    {
        await using var host = await LastFmHost.StartAsync();
        await host.SyncAsync();
        var calls = host.Fake.Requests.Count;
        var updatedAt = await host.ScalarAsync<long>("SELECT MAX(updated_at) FROM tracks");

        var second = await host.SyncAsync();

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains(NothingNew, second.Lines);
        Assert.Contains("Last.fm calls: 0 (27 answered from the cache, 0 retried).", second.Lines);
        Assert.Equal(calls, host.Fake.Requests.Count);
        Assert.Equal(updatedAt, await host.ScalarAsync<long>("SELECT MAX(updated_at) FROM tracks"));
    }

    [Fact]
    public async Task Without_the_cache_a_second_sync_asks_again_changes_nothing_and_then_picks_up_what_is_new()
    {
        await using var host = await LastFmHost.StartAsync();
        await host.SyncAsync(("LastFm__CacheHours", "0"));

        var same = await host.SyncAsync(("LastFm__CacheHours", "0"));
        var asked = host.Fake.Count("track.getInfo");
        host.Fake.World.Add(new FakeTrack("Khruangbin", "Maria También", 300_000, 2_000_000, [new("psychedelic", 100), new("chill", 99)]));
        var news = await host.SyncAsync(("LastFm__CacheHours", "0"));

        Assert.Contains(NothingNew, same.Lines);
        Assert.Equal(24, asked);
        Assert.Contains("Done: 12 tracks from Last.fm: 1 added, 0 updated, 11 unchanged, 0 not found.", news.Lines);
        Assert.Equal(300_000, await host.ListenersAsync("Maria También", "Khruangbin"));
    }

    [Fact]
    public async Task After_a_sync_popular_ranks_by_real_listeners_and_plays()
    {
        await using var host = await LastFmHost.StartAsync();
        await host.SyncAsync();

        var chat = await host.ChatAsync("/popular sad 2");

        Assert.Equal(["Popular in sad:", "1. Someone Like You - Adele  (2,000,000 listeners)", "2. Hurt - Johnny Cash  (1,200,000 listeners)"], chat.Lines);
    }

    [Fact]
    public async Task The_csv_file_syncs_through_the_same_port_with_no_key_at_all()
    {
        await using var host = await LastFmHost.StartAsync();
        var csv = Path.Combine(Path.GetDirectoryName(host.Db.Path)!, "tracks.csv");
        await File.WriteAllTextAsync(csv, "title,artist,tags,listeners,playcount\nKiara,Bonobo,electronic;chill:95,400000,3000000\nHurt,Johnny Cash,country;sad:80,1200000,9000000\nAwake,Tycho,electronic;chill:80,450000,3500000\n");

        var run = await SpotMirrorCli.RunAsync(
            ["catalog", "sync", "--db", host.Db.Path, "--csv", csv, "--tags", "chill", "--per-tag", "5"], "", host.Settings(("LastFm__ApiKey", "")));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Done: 2 tracks from CSV file: 1 added, 1 updated, 0 unchanged, 0 not found.", run.Lines);
        Assert.Equal(400_000, await host.ListenersAsync("Kiara", "Bonobo"));
        Assert.Equal(1L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM track_provider_ids WHERE provider = 'csv' AND provider_id = 'bonobo|kiara'"));
        Assert.Null(await host.ListenersAsync("Hurt", "Johnny Cash"));
        Assert.Empty(host.Fake.Requests);
    }

    [Fact]
    public async Task Without_a_key_sync_says_how_to_add_one_and_the_chat_still_runs_on_the_starter_catalogue()
    {
        await using var host = await LastFmHost.StartAsync();
        var noKey = host.Settings(("LastFm__ApiKey", ""));

        var sync = await SpotMirrorCli.RunAsync(host.SyncArgs(), "", noKey);
        var chat = await host.ChatAsync(noKey, "/mood chill 2", "/link lastfm rj");

        Assert.Equal(1, sync.ExitCode);
        Assert.Contains("No Last.fm API key is set", sync.Error, StringComparison.Ordinal);
        Assert.Contains("LastFm__ApiKey", sync.Error, StringComparison.Ordinal);
        Assert.Equal(0, chat.ExitCode);
        Assert.Equal("Chill for you:", chat.Lines[0]);
        Assert.Contains("Linking Last.fm isn't set up on this SpotMirror yet.", chat.Lines);
        Assert.Contains(chat.Lines, l => l.StartsWith("No Last.fm API key is set.", StringComparison.Ordinal));
        Assert.Empty(host.Fake.Requests);
    }
}
