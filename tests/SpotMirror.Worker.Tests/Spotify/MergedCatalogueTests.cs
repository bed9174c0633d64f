namespace SpotMirror.Worker.Tests.Spotify;

/// <summary>The same genres synced from the fake Last.fm and the fake Spotify, in either order: one catalogue, no track twice.</summary>
public sealed class MergedCatalogueTests
{
    private const string Genres = "pop,electronic,rock";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Both_providers_give_one_merged_catalogue_with_no_duplicate_tracks(bool spotifyFirst)
    {
        await using var host = await ProvidersHost.StartAsync();

        var runs = spotifyFirst
            ? new[] { await host.SpotifySyncAsync(Genres), await host.LastFmSyncAsync(Genres) }
            : [await host.LastFmSyncAsync(Genres), await host.SpotifySyncAsync(Genres)];

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Error));
        Assert.Empty(await host.DuplicatesAsync());
        // "Happy" and "Happy - From "Despicable Me 2"": one track, known to all three sources.
        Assert.Equal(1, await host.CountAsync("Pharrell Williams", "Happy"));
        Assert.Equal(["lastfm", "spotify", "starter"], await host.ProvidersOfAsync("Pharrell Williams", "Happy"));
        // Listeners from Last.fm and popularity from Spotify sit on the one track.
        Assert.Equal((1_900_000L, 78L), (await host.ScalarAsync<long>("SELECT listeners FROM tracks WHERE title = 'Happy'"),
            await host.ScalarAsync<long>("SELECT popularity FROM tracks WHERE title = 'Happy'")));
        // Last.fm's track tags win over Spotify's artist genres whichever came first.
        Assert.Equal(["pop:100", "happy:88", "feel good:40"], await host.QueryAsync<string>(
            "SELECT tag || ':' || CAST(weight AS INTEGER) FROM track_tags tt JOIN tracks t ON t.id = tt.track_id WHERE t.title = 'Happy' ORDER BY weight DESC, tag"));
        // "Katrina and the Waves" and "Katrina & The Waves" are one artist's one track.
        Assert.Equal(1, await host.CountAsync("Katrina", "Walking"));
        Assert.Equal(["lastfm", "spotify"], await host.ProvidersOfAsync("Katrina", "Walking"));
        // The album cut and the compilation cut share an ISRC: one track with both Spotify ids, at the higher popularity.
        Assert.Equal(["lastfm", "spotify", "spotify", "starter"], await host.ProvidersOfAsync("Adele", "Someone Like You"));
        Assert.Equal(84L, await host.ScalarAsync<long>("SELECT popularity FROM tracks WHERE title = 'Someone Like You'"));
        Assert.Equal(1, await host.CountAsync("Queen", "Don't Stop Me Now"));
        Assert.Equal(["lastfm", "spotify", "starter"], await host.ProvidersOfAsync("Queen", "Don't Stop Me Now"));
        Assert.Equal(["lastfm", "spotify"], await host.ProvidersOfAsync("Bonobo", "Kiara"));
    }

    [Fact]
    public async Task Syncing_either_provider_again_after_both_changes_nothing()
    {
        await using var host = await ProvidersHost.StartAsync();
        await host.LastFmSyncAsync(Genres);
        await host.SpotifySyncAsync(Genres);
        var tracks = await host.ScalarAsync<long>("SELECT COUNT(*) FROM tracks");

        var spotify = await host.SpotifySyncAsync(Genres);
        var lastFm = await host.LastFmSyncAsync(Genres);

        Assert.Contains(spotify.Lines, l => l.StartsWith("Done: ", StringComparison.Ordinal) && l.Contains(" 0 added, 0 updated,", StringComparison.Ordinal));
        Assert.Contains(lastFm.Lines, l => l.StartsWith("Done: ", StringComparison.Ordinal) && l.Contains(" 0 added, 0 updated,", StringComparison.Ordinal));
        Assert.Equal(tracks, await host.ScalarAsync<long>("SELECT COUNT(*) FROM tracks"));
    }
}
