using SpotMirror.Testing.LastFm;

namespace SpotMirror.Worker.Tests.LastFm;

/// <summary>/link and /unlink through the real process's console chat, against the fake Last.fm.</summary>
public sealed class LinkEndToEndTests
{
    private sealed record PreferenceRow(long UserId, long TrackId, double Score, long HardDislikes, long UpdatedAt);

    private static Task<List<PreferenceRow>> PreferencesAsync(LastFmHost host) =>
        host.QueryAsync<PreferenceRow>("SELECT user_id, track_id, score, hard_dislikes, updated_at FROM preferences ORDER BY user_id, track_id");

    [Fact]
    public async Task Linking_imports_top_and_loved_tracks_so_a_newcomer_gets_personal_recommendations_at_once()
    {
        await using var host = await LastFmHost.StartAsync();

        var chat = await host.ChatAsync("/link lastfm rj", "/profile", "/recommend 3");

        Assert.True(chat.ExitCode == 0, chat.Error);
        Assert.Contains("Linked Last.fm user rj: 4 track(s) imported as a first guess at your taste (3 top, 2 loved).", chat.Lines);
        Assert.Contains("Artists: Nujabes, Marconi Union, Johnny Cash, Pharrell Williams", chat.Lines);
        Assert.Contains("4 track(s) liked, 0 hidden.", chat.Lines);
        Assert.Contains("Picked for you:", chat.Lines);
        Assert.Equal(3, chat.Lines.Count(l => l.Contains("  (because you liked ", StringComparison.Ordinal)));
        // Loved and top (0.4 + 0.3) for the track in both lists; the tracks the catalogue lacked were added.
        Assert.Equal(0.7, await host.ScalarAsync<double>(
            "SELECT i.score FROM imported_preferences i JOIN tracks t ON t.id = i.track_id WHERE t.title = 'Aruarian Dance'"), 9);
        Assert.Equal(4L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM imported_preferences"));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM preferences"));
        Assert.Equal(1, await host.TrackCountAsync("Aruarian Dance", "Nujabes"));
    }

    [Fact]
    public async Task Unlinking_leaves_the_preference_table_and_the_profile_exactly_as_before_the_link()
    {
        await using var host = await LastFmHost.StartAsync();
        var before = await host.ChatAsync("/mood chill 3", ":react ❤️ 1", ":react 👎 2", "/popular 3", ":react 👍", "/profile");
        var rows = await PreferencesAsync(host);
        var profile = before.Lines.SkipWhile(l => l != "Your taste, as I've learned it:").ToList();

        var linked = await host.ChatAsync("/link lastfm rj", "/profile", "/unlink", "/profile");

        Assert.True(linked.ExitCode == 0, linked.Error);
        Assert.Contains("Unlinked Last.fm user rj: its 4 imported track(s) no longer count.", linked.Lines);
        Assert.NotEmpty(rows);
        Assert.Equal(rows, await PreferencesAsync(host));
        Assert.Equal(profile, linked.Lines.SkipWhile(l => l != "Your reactions here stay as they were.").Skip(1).ToList());
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM imported_preferences"));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM linked_accounts"));
    }

    [Fact]
    public async Task Forget_removes_the_link_and_everything_it_imported()
    {
        await using var host = await LastFmHost.StartAsync();

        var chat = await host.ChatAsync("/link lastfm rj", "/forget yes", "/unlink");

        Assert.Contains("You have no linked account.", chat.Lines);
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM imported_preferences"));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM linked_accounts"));
    }

    [Fact]
    public async Task An_unknown_user_and_an_empty_account_get_a_clear_answer()
    {
        await using var host = await LastFmHost.StartAsync();

        var chat = await host.ChatAsync("/link lastfm nobody-here", "/link last.fm quiet", "/link spotify rj");

        Assert.Contains("Last.fm has no user called \"nobody-here\". Check the spelling and try again.", chat.Lines);
        Assert.Contains("Last.fm user quiet has no top or loved tracks yet, so there is nothing to import.", chat.Lines);
        Assert.Contains("I can't link spotify accounts; I can link lastfm.", chat.Lines);
        Assert.Equal(1, host.Fake.Count("user.getTopTracks", r => r["user"] == "nobody-here"));
    }

    [Fact]
    public async Task A_rate_limited_link_is_retried_and_still_imports()
    {
        await using var host = await LastFmHost.StartAsync();
        host.Fake.FailNext("user.getLovedTracks", LastFmFault.RateLimited);

        var chat = await host.ChatAsync("/link lastfm rj");

        Assert.Contains("Linked Last.fm user rj: 4 track(s) imported as a first guess at your taste (3 top, 2 loved).", chat.Lines);
        Assert.Equal(2, host.Fake.Count("user.getLovedTracks"));
    }

    [Fact]
    public async Task A_rejected_key_makes_link_say_it_is_not_set_up_without_showing_the_key()
    {
        const string wrongKey = "fedcba9876543210fedcba9876543210";
        await using var host = await LastFmHost.StartAsync();

        var chat = await host.ChatAsync(host.Settings(("LastFm__ApiKey", wrongKey)), "/link lastfm rj");

        Assert.Contains("Linking Last.fm isn't set up on this SpotMirror yet.", chat.Lines);
        Assert.Contains(chat.Lines, l => l.StartsWith("Last.fm rejected the API key (error 10", StringComparison.Ordinal));
        Assert.DoesNotContain(wrongKey, chat.Output + chat.Error, StringComparison.OrdinalIgnoreCase);
    }
}
