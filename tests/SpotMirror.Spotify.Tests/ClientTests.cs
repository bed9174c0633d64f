using System.Text;
using Microsoft.Extensions.Time.Testing;
using SpotMirror.Core.Ports;
using SpotMirror.Testing.Spotify;

namespace SpotMirror.Spotify.Tests;

/// <summary>The client's token handling and each of Spotify's failures, scripted in the fake, with what comes of it.</summary>
public sealed class ClientTests
{
    private static Task<IReadOnlyList<ProviderTrack>> JazzAsync(SpotifyRig rig) => rig.Provider.TagTopTracksAsync("jazz", 10, CancellationToken.None);

    private static SpotifyOptions With(SpotifyOptions o, string? id = null, string? secret = null, int? maxAttempts = null, double? timeout = null, double? maxWait = null) => new()
    {
        ClientId = id ?? o.ClientId,
        ClientSecret = secret ?? o.ClientSecret,
        ApiBaseUrl = o.ApiBaseUrl,
        AccountsBaseUrl = o.AccountsBaseUrl,
        MaxAttempts = maxAttempts ?? o.MaxAttempts,
        RetryBaseSeconds = o.RetryBaseSeconds,
        TimeoutSeconds = timeout ?? o.TimeoutSeconds,
        MaxRetryAfterSeconds = maxWait ?? o.MaxRetryAfterSeconds,
    };

    [Fact]
    public async Task One_token_serves_every_call_until_shortly_before_it_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var rig = await SpotifyRig.StartAsync(clock: clock);

        await JazzAsync(rig);
        await rig.Provider.TagTopTracksAsync("rock", 5, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(3600) - SpotifyClient.RenewMargin - TimeSpan.FromSeconds(1));
        await rig.Provider.TagTopTracksAsync("soul", 5, CancellationToken.None);
        var before = rig.Fake.Count("token");
        clock.Advance(TimeSpan.FromSeconds(2));
        await rig.Provider.TagTopTracksAsync("electronic", 5, CancellationToken.None);

        Assert.Equal(1, before);
        Assert.Equal(2, rig.Fake.Count("token"));
        Assert.All(rig.Fake.Requests.Where(r => r.Route != "token"), r => Assert.True(r.Authorized));
    }

    [Fact]
    public async Task A_token_that_expires_mid_run_is_replaced_once_and_the_call_goes_through()
    {
        await using var rig = await SpotifyRig.StartAsync();
        await JazzAsync(rig);
        rig.Fake.FailNext("search", SpotifyFault.TokenExpired);

        var pop = await rig.Provider.TagTopTracksAsync("pop", 10, CancellationToken.None);

        Assert.NotEmpty(pop);
        Assert.Equal(2, rig.Fake.Count("token"));
        Assert.Equal(1, rig.Usage.Refreshes);
        var searches = rig.Fake.Requests.Where(r => r.Route == "search").ToList();
        Assert.Equal(searches[1].Token, searches[0].Token);
        Assert.NotEqual(searches[1].Token, searches[2].Token);
    }

    [Fact]
    public async Task A_fresh_token_refused_too_stops_with_invalid_credentials()
    {
        await using var rig = await SpotifyRig.StartAsync();
        rig.Fake.FailNext("search", SpotifyFault.TokenExpired, times: 2);

        var failure = await Assert.ThrowsAsync<MetadataException>(() => JazzAsync(rig));

        Assert.Equal(MetadataFailure.InvalidCredentials, failure.Failure);
        Assert.Equal(2, rig.Fake.Count("search"));
    }

    [Theory]
    [InlineData("wrong-secret", "Invalid client secret")]
    [InlineData(null, "Invalid client")]
    public async Task Credentials_spotify_rejects_stop_everything_and_are_never_repeated(string? secret, string description)
    {
        await using var rig = await SpotifyRig.StartAsync((_, o) => With(o, id: secret is null ? "not-our-app" : null, secret: secret));

        var failure = await Assert.ThrowsAsync<MetadataException>(() => JazzAsync(rig));

        Assert.Equal(MetadataFailure.InvalidCredentials, failure.Failure);
        Assert.True(failure.StopsEverything);
        Assert.Contains(description, failure.Message, StringComparison.Ordinal);
        Assert.Contains("Spotify__ClientSecret", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rig.Options.ClientSecret!, failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, rig.Fake.Count("search"));
    }

    [Fact]
    public async Task Without_credentials_nothing_is_asked_and_the_message_says_what_to_set()
    {
        await using var rig = await SpotifyRig.StartAsync((_, o) => With(o, secret: " "));

        var failure = await Assert.ThrowsAsync<MetadataException>(() => JazzAsync(rig));

        Assert.Equal(MetadataFailure.NotConfigured, failure.Failure);
        Assert.Contains(SpotifyOptions.DashboardPage, failure.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task A_429_waits_what_retry_after_says_then_asks_again()
    {
        await using var rig = await SpotifyRig.StartAsync();
        rig.Fake.FailNext("search", SpotifyFault.RateLimited(1));

        var jazz = await JazzAsync(rig);

        Assert.Equal(3, jazz.Count);
        Assert.Equal(2, rig.Fake.Count("search"));
        Assert.Equal(1, rig.Usage.Retries);
        // The backoff here is 10 ms, so a wait of 1,000 ms can only have come from Retry-After.
        Assert.Contains(rig.Logs.Lines, l => l.Contains("HTTP 429; try 1 of 3 failed, retrying in 1000 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_429_asking_for_longer_than_the_limit_is_not_waited_out()
    {
        await using var rig = await SpotifyRig.StartAsync((_, o) => With(o, maxWait: 30));
        rig.Fake.FailNext("search", SpotifyFault.RateLimited(3600));

        var failure = await Assert.ThrowsAsync<MetadataException>(() => JazzAsync(rig));

        Assert.Equal(MetadataFailure.Unavailable, failure.Failure);
        Assert.Contains("asks to wait 3600 s", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Fake.Count("search"));
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task A_server_error_is_retried_and_the_answer_still_arrives(int status)
    {
        await using var rig = await SpotifyRig.StartAsync();
        rig.Fake.FailNext("artists", SpotifyFault.ServerError(status));

        var jazz = await JazzAsync(rig);

        Assert.Equal(3, jazz[0].Tags.Count);
        Assert.Equal(2, rig.Fake.Count("artists"));
        Assert.Equal(1, rig.Usage.Retries);
    }

    [Fact]
    public async Task A_server_error_that_outlasts_every_try_is_unavailable_after_exactly_max_attempts()
    {
        await using var rig = await SpotifyRig.StartAsync();
        rig.Fake.FailNext("search", SpotifyFault.ServerError(500), times: 3);

        var failure = await Assert.ThrowsAsync<MetadataException>(() => JazzAsync(rig));

        Assert.Equal(MetadataFailure.Unavailable, failure.Failure);
        Assert.Contains("HTTP 500 in 3 tries", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, rig.Fake.Count("search"));
    }

    [Fact]
    public async Task A_malformed_body_is_asked_for_again()
    {
        await using var rig = await SpotifyRig.StartAsync();
        rig.Fake.FailNext("search", SpotifyFault.MalformedJson);

        var jazz = await JazzAsync(rig);

        Assert.Equal(3, jazz.Count);
        Assert.Equal(2, rig.Fake.Count("search"));
    }

    [Fact]
    public async Task A_slow_answer_is_abandoned_at_the_timeout_and_asked_again()
    {
        await using var rig = await SpotifyRig.StartAsync((_, o) => With(o, timeout: 0.5));
        rig.Fake.FailNext("search", SpotifyFault.Slow);

        var jazz = await JazzAsync(rig);

        Assert.Equal(3, jazz.Count);
        Assert.Equal(2, rig.Fake.Count("search"));
        Assert.Contains(rig.Logs.Lines, l => l.Contains("no answer in time", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Neither_the_secret_nor_a_token_is_in_any_log_line_even_when_things_go_wrong()
    {
        await using var rig = await SpotifyRig.StartAsync();
        rig.Fake.FailNext("search", SpotifyFault.TokenExpired);
        rig.Fake.FailNext("artists", SpotifyFault.ServerError(503));
        rig.Fake.FailNext("search", SpotifyFault.RateLimited(0));
        await JazzAsync(rig);
        await rig.Provider.TagTopTracksAsync("pop", 5, CancellationToken.None);
        await using var wrong = await SpotifyRig.StartAsync((_, o) => With(o, secret: "a-secret-spotify-refuses-0123456789"));
        await Assert.ThrowsAsync<MetadataException>(() => JazzAsync(wrong));

        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(rig.Options.ClientId + ":" + rig.Options.ClientSecret));
        var secrets = new[] { rig.Options.ClientSecret!, basic, "a-secret-spotify-refuses-0123456789" }.Concat(rig.Fake.IssuedTokens).ToList();
        var lines = rig.Logs.Lines.Concat(wrong.Logs.Lines).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.DoesNotContain(secrets, s => line.Contains(s, StringComparison.Ordinal)));
    }
}
