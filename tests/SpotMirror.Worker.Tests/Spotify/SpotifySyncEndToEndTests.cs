using SpotMirror.Testing.Spotify;

namespace SpotMirror.Worker.Tests.Spotify;

/// <summary>`catalog sync --provider spotify` as a real process against the fake Spotify.</summary>
public sealed class SpotifySyncEndToEndTests
{
    // jazz: So What, Aruarian Dance, Naima - Mono; electronic: Get Lucky (… - Radio Edit), Kiara, Awake. Four are
    // starter tracks under plainer names (Naima, Get Lucky), so they are matched, not added.
    private const string FirstRun = "Done: 6 tracks from Spotify: 2 added, 4 updated, 0 unchanged, 0 not found.";

    [Fact]
    public async Task A_spotify_sync_stores_genres_tracks_with_year_popularity_isrc_and_the_spotify_id_and_page()
    {
        await using var host = await ProvidersHost.StartAsync();

        var run = await host.SpotifySyncAsync("jazz,electronic");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Syncing from Spotify: 2 genre(s), up to 10 tracks each, 6 tracks planned.", run.Lines);
        Assert.Contains(FirstRun, run.Lines);
        var aruarian = host.Spotify.World.Tracks.Single(t => t.Name == "Aruarian Dance");
        Assert.Equal((2004L, 65L, "JPK650400202"), (await host.ScalarAsync<long>("SELECT year FROM tracks WHERE title = 'Aruarian Dance'"),
            await host.ScalarAsync<long>("SELECT popularity FROM tracks WHERE title = 'Aruarian Dance'"),
            await host.ScalarAsync<string>("SELECT isrc FROM tracks WHERE title = 'Aruarian Dance'")));
        Assert.Equal(aruarian.Url, await host.ScalarAsync<string>(
            "SELECT url FROM track_provider_ids WHERE provider = 'spotify' AND provider_id = @Id", new { aruarian.Id }));
        Assert.Equal(["jazz:100", "jazz hop:100", "lo-fi beats:100"], await host.QueryAsync<string>(
            "SELECT tag || ':' || CAST(weight AS INTEGER) FROM track_tags tt JOIN tracks t ON t.id = tt.track_id WHERE t.title = 'Aruarian Dance' ORDER BY tag"));
        // "Naima - Mono" is the starter's "Naima": one track, its name and mood tags kept, Spotify's id added.
        Assert.Equal(1, await host.CountAsync("John Coltrane", "Naima"));
        Assert.Equal(["spotify", "starter"], await host.ProvidersOfAsync("John Coltrane", "Naima"));
        Assert.Contains("calm", await host.QueryAsync<string>(
            "SELECT tag FROM track_tags tt JOIN tracks t ON t.id = tt.track_id WHERE t.title = 'Naima'"));
        Assert.Empty(await host.DuplicatesAsync());
        Assert.Contains("Spotify calls: 4 (1 token(s) fetched, 0 refused and replaced, 0 retried).", run.Lines);
    }

    [Fact]
    public async Task A_second_spotify_sync_changes_nothing()
    {
        await using var host = await ProvidersHost.StartAsync();
        await host.SpotifySyncAsync("jazz,electronic");
        var updatedAt = await host.ScalarAsync<long>("SELECT MAX(updated_at) FROM tracks");

        var second = await host.SpotifySyncAsync("jazz,electronic");

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Done: 6 tracks from Spotify: 0 added, 0 updated, 6 unchanged, 0 not found.", second.Lines);
        Assert.Equal(updatedAt, await host.ScalarAsync<long>("SELECT MAX(updated_at) FROM tracks"));
    }

    [Fact]
    public async Task An_expired_token_a_500_and_a_429_mid_sync_are_ridden_out_and_no_secret_is_printed()
    {
        await using var host = await ProvidersHost.StartAsync();
        host.Spotify.FailNext("search", SpotifyFault.TokenExpired, when: r => r["q"]!.Contains("electronic", StringComparison.Ordinal));
        host.Spotify.FailNext("artists", SpotifyFault.ServerError(500));
        host.Spotify.FailNext("search", SpotifyFault.RateLimited(1), when: r => r["q"]!.Contains("jazz", StringComparison.Ordinal));

        var run = await host.SpotifySyncAsync("jazz,electronic");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains(FirstRun, run.Lines);
        Assert.Contains("Spotify calls: 5 (2 token(s) fetched, 1 refused and replaced, 2 retried).", run.Lines);
        foreach (var secret in host.Spotify.IssuedTokens.Append(host.Spotify.ClientSecret))
        {
            Assert.DoesNotContain(secret, run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, run.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Spotify_down_for_good_interrupts_the_sync_with_exit_3_and_the_same_command_then_finishes()
    {
        await using var host = await ProvidersHost.StartAsync();
        host.Spotify.FailNext("search", SpotifyFault.ServerError(503), times: 3);

        var failed = await host.SpotifySyncAsync("jazz,electronic");
        var again = await host.SpotifySyncAsync("jazz,electronic");

        Assert.Equal(3, failed.ExitCode);
        Assert.Contains("HTTP 503 in 3 tries", failed.Error, StringComparison.Ordinal);
        Assert.Contains("Run the same command again to carry on.", failed.Error, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains(FirstRun, again.Lines);
    }

    [Theory]
    [InlineData(null, "not-our-secret", 1, "Invalid client secret")]
    [InlineData("", "", 1, "No Spotify client id and secret are set")]
    public async Task Missing_or_wrong_credentials_stop_the_sync_with_a_sentence_that_says_what_to_set(string? id, string secret, int code, string says)
    {
        await using var host = await ProvidersHost.StartAsync();

        var run = await host.SpotifySyncAsync("jazz", 10, ("Spotify__ClientId", id ?? host.Spotify.ClientId), ("Spotify__ClientSecret", secret));

        Assert.Equal(code, run.ExitCode);
        Assert.Contains(says, run.Error, StringComparison.Ordinal);
        Assert.Contains("Spotify__ClientSecret", run.Error, StringComparison.Ordinal);
        if (secret.Length > 0) Assert.DoesNotContain(secret, run.Output + run.Error, StringComparison.Ordinal);
        Assert.Equal(0, host.Spotify.Count("search"));
    }
}
