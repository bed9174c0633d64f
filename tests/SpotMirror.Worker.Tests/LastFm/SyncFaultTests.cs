using SpotMirror.Testing.LastFm;

namespace SpotMirror.Worker.Tests.LastFm;

/// <summary>Last.fm's faults during a real `catalog sync`: retried, skipped, stopped, or resumed by a second run.</summary>
public sealed class SyncFaultTests
{
    private static bool IsHurt(LastFmRequest r) => r.Is("track.getInfo") && r["track"] == "Hurt";

    public static TheoryData<string> Transient => ["rate limit 29", "HTTP 500", "malformed JSON", "slow answer"];

    [Theory]
    [MemberData(nameof(Transient))]
    public async Task A_transient_fault_is_retried_and_the_sync_completes(string fault)
    {
        await using var host = await LastFmHost.StartAsync();
        host.Fake.FailNext("track.getInfo", fault switch
        {
            "rate limit 29" => LastFmFault.RateLimited,
            "HTTP 500" => LastFmFault.HttpError(500),
            "malformed JSON" => LastFmFault.MalformedJson,
            _ => LastFmFault.Slow,
        }, when: IsHurt);

        var run = await host.SyncAsync(("LastFm__TimeoutSeconds", "1"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Done: 12 tracks from Last.fm: 7 added, 5 updated, 0 unchanged, 0 not found.", run.Lines);
        Assert.Contains("Last.fm calls: 28 (0 answered from the cache, 1 retried).", run.Lines);
        Assert.Equal(2, host.Fake.Count("track.getInfo", IsHurt));
        Assert.Equal(1_200_000, await host.ListenersAsync("Hurt", "Johnny Cash"));
    }

    [Fact]
    public async Task The_key_appears_in_no_log_line_even_at_trace_level_with_retries_and_failures()
    {
        await using var host = await LastFmHost.StartAsync();
        host.Fake.FailNext("track.getInfo", LastFmFault.HttpError(500), when: IsHurt);
        host.Fake.FailNext("tag.getTopTracks", LastFmFault.ApiError(8, "Operation failed"));

        var run = await host.SyncProcessAsync(("Logging__LogLevel__Default", "Trace"), ("Logging__LogLevel__System.Net.Http", "Trace"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Last.fm track.getInfo: HTTP 500; try 1 of 3 failed", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Fake.ApiKey, run.Output + run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("api_key", run.Output + run.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Error_6_on_one_track_skips_it_as_not_found_and_stores_the_rest()
    {
        await using var host = await LastFmHost.StartAsync();
        host.Fake.FailNext("track.getInfo", LastFmFault.NotFound(), when: IsHurt);

        var run = await host.SyncAsync();

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Done: 12 tracks from Last.fm: 6 added, 5 updated, 0 unchanged, 1 not found.", run.Lines);
        Assert.Equal(0, await host.TrackCountAsync("Hurt", "Johnny Cash"));
        Assert.Equal(1, host.Fake.Count("track.getInfo", IsHurt));
    }

    [Fact]
    public async Task An_invalid_key_10_stops_the_sync_at_once_and_never_shows_the_key()
    {
        const string wrongKey = "fedcba9876543210fedcba9876543210";
        await using var host = await LastFmHost.StartAsync();

        var run = await host.SyncAsync(("LastFm__ApiKey", wrongKey));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Last.fm rejected the API key (error 10", run.Error, StringComparison.Ordinal);
        Assert.Contains("LastFm:ApiKey", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, run.Output + run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Single(host.Fake.Requests);
    }

    [Fact]
    public async Task A_sync_interrupted_by_a_lasting_outage_is_completed_by_a_second_run_without_redoing_work()
    {
        await using var host = await LastFmHost.StartAsync();
        // Every try of one track fails; with the cache off, only the stored progress can spare the second run.
        host.Fake.FailNext("track.getInfo", LastFmFault.HttpError(500), times: 3, when: IsHurt);

        var first = await host.SyncAsync(("LastFm__CacheHours", "0"));
        var second = await host.SyncAsync(("LastFm__CacheHours", "0"));

        Assert.Equal(3, first.ExitCode);
        Assert.Contains("Sync interrupted: Last.fm did not answer track.getInfo properly after 3 tries (last: HTTP 500).", first.Error, StringComparison.Ordinal);
        Assert.Contains("7 of 12 tracks are stored. Run the same command again to carry on.", first.Error, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Resuming an interrupted sync from Last.fm: 7 of 12 tracks were done.", second.Lines);
        Assert.Contains("Done: 12 tracks from Last.fm: 7 added, 5 updated, 0 unchanged, 0 not found.", second.Lines);
        Assert.Equal(1, host.Fake.Count("track.getInfo", r => r["track"] == "Mad World"));
        Assert.Equal(1, host.Fake.Count("tag.getTopTracks", r => r["tag"] == "happy"));
        Assert.Equal(1_200_000, await host.ListenersAsync("Hurt", "Johnny Cash"));
        Assert.Equal(0L, await host.ScalarAsync<long>("SELECT COUNT(*) FROM sync_runs"));
    }

    [Fact]
    public async Task A_sync_killed_mid_way_is_completed_by_a_second_run()
    {
        await using var host = await LastFmHost.StartAsync();
        host.Fake.FailNext("track.getInfo", LastFmFault.Slow, when: IsHurt);
        using (var process = SpotMirrorProcess.Start(host.SyncArgs(), host.Settings(("LastFm__CacheHours", "0"))))
        {
            await host.Fake.WaitForRequestAsync(IsHurt, TimeSpan.FromSeconds(60));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        var done = await host.ScalarAsync<long>("SELECT COUNT(*) FROM sync_items WHERE outcome IS NOT NULL");

        var second = await host.SyncAsync(("LastFm__CacheHours", "0"));

        Assert.Equal(7L, done);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Resuming an interrupted sync from Last.fm: 7 of 12 tracks were done.", second.Lines);
        Assert.Equal(1_200_000, await host.ListenersAsync("Hurt", "Johnny Cash"));
        Assert.Equal(1, host.Fake.Count("track.getInfo", r => r["track"] == "Someone Like You"));
    }
}
