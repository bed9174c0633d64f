using SpotMirror.Core.Ports;
using SpotMirror.Testing.LastFm;

namespace SpotMirror.LastFm.Tests;

/// <summary>Each of Last.fm's failures, scripted in the fake, and what the client makes of it.</summary>
public sealed class FaultTests
{
    private static readonly TrackRef Hurt = new("Johnny Cash", "Hurt");

    public static TheoryData<string> TransientFaults => ["rate limit 29", "error 8", "error 11", "error 16", "HTTP 500", "HTTP 503", "malformed JSON"];

    private static LastFmFault FaultNamed(string name) => name switch
    {
        "rate limit 29" => LastFmFault.RateLimited,
        "error 8" => LastFmFault.ApiError(8, "Operation failed - Most likely the backend service failed. Please try again."),
        "error 11" => LastFmFault.ApiError(11, "Service Offline - This service is temporarily offline. Try again later."),
        "error 16" => LastFmFault.ApiError(16, "There was a temporary error processing your request. Please try again"),
        "HTTP 500" => LastFmFault.HttpError(500),
        "HTTP 503" => LastFmFault.HttpError(503),
        "malformed JSON" => LastFmFault.MalformedJson,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_transient_fault_is_retried_and_the_answer_still_arrives(string fault)
    {
        await using var rig = await LastFmRig.StartAsync();
        rig.Fake.FailNext("track.getInfo", FaultNamed(fault));

        var track = await rig.Provider.TrackInfoAsync(Hurt, CancellationToken.None);

        Assert.NotNull(track);
        Assert.Equal(1_200_000, track.Listeners);
        Assert.Equal(2, rig.Fake.Count("track.getInfo"));
        Assert.Equal(1, rig.Pacer.Retries);
    }

    [Fact]
    public async Task A_fault_that_outlasts_every_try_is_unavailable_after_exactly_max_attempts()
    {
        await using var rig = await LastFmRig.StartAsync(maxAttempts: 3);
        rig.Fake.FailNext("tag.getTopTracks", LastFmFault.HttpError(500), times: 3);

        var failure = await Assert.ThrowsAsync<MetadataException>(() => rig.Provider.TagTopTracksAsync("sad", 5, CancellationToken.None));

        Assert.Equal(MetadataFailure.Unavailable, failure.Failure);
        Assert.Contains("after 3 tries", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, rig.Fake.Count("tag.getTopTracks"));
    }

    [Fact]
    public async Task A_slow_answer_is_abandoned_at_the_timeout_and_asked_again()
    {
        await using var rig = await LastFmRig.StartAsync(timeoutSeconds: 0.5);
        rig.Fake.FailNext("track.getInfo", LastFmFault.Slow);

        var track = await rig.Provider.TrackInfoAsync(Hurt, CancellationToken.None);

        Assert.NotNull(track);
        var asked = rig.Fake.Requests.Where(r => r.Is("track.getInfo")).ToList();
        Assert.True(asked.Count >= 2, $"expected a retry after the held request, saw {asked.Count}");
        Assert.Equal("Held", asked[0].Fault);
    }

    [Fact]
    public async Task Error_6_on_a_track_is_a_plain_not_found_without_retries()
    {
        await using var rig = await LastFmRig.StartAsync();

        var track = await rig.Provider.TrackInfoAsync(new TrackRef("Nobody", "Nothing"), CancellationToken.None);

        Assert.Null(track);
        Assert.Equal(1, rig.Fake.Count("track.getInfo"));
    }

    [Fact]
    public async Task Error_6_on_a_user_says_there_is_no_such_user()
    {
        await using var rig = await LastFmRig.StartAsync();

        var failure = await Assert.ThrowsAsync<MetadataException>(() => rig.Provider.UserTopTracksAsync("nobody-here", 10, CancellationToken.None));

        Assert.Equal(MetadataFailure.NotFound, failure.Failure);
        Assert.Equal("Last.fm has no user called \"nobody-here\".", failure.Message);
        Assert.Equal(1, rig.Fake.Count("user.getTopTracks"));
    }

    [Fact]
    public async Task An_invalid_key_10_stops_at_once_and_says_what_to_set_without_the_key()
    {
        const string wrongKey = "fedcba9876543210fedcba9876543210";
        await using var rig = await LastFmRig.StartAsync(apiKey: wrongKey);

        var failure = await Assert.ThrowsAsync<MetadataException>(() => rig.Provider.TagTopTracksAsync("happy", 5, CancellationToken.None));

        Assert.Equal(MetadataFailure.InvalidCredentials, failure.Failure);
        Assert.True(failure.StopsEverything);
        Assert.Contains("LastFm:ApiKey", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(rig.Fake.Requests);
    }

    [Fact]
    public async Task A_key_that_Last_fm_echoes_in_its_message_is_blotted_out()
    {
        await using var rig = await LastFmRig.StartAsync();
        rig.Fake.FailNext("track.getInfo", LastFmFault.ApiError(13, $"Invalid method signature supplied for api_key={FakeLastFmServer.DefaultKey}"));

        var failure = await Assert.ThrowsAsync<MetadataException>(() => rig.Provider.TrackInfoAsync(Hurt, CancellationToken.None));

        Assert.Equal(MetadataFailure.Refused, failure.Failure);
        Assert.DoesNotContain(FakeLastFmServer.DefaultKey, failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Core.SecretRedactor.Mask, failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, rig.Fake.Count("track.getInfo"));
    }

    [Fact]
    public async Task Without_a_key_nothing_is_called_and_the_message_says_how_to_add_one()
    {
        await using var rig = await LastFmRig.StartAsync(apiKey: null);

        var failure = await Assert.ThrowsAsync<MetadataException>(() => rig.Provider.TagTopTracksAsync("happy", 5, CancellationToken.None));

        Assert.Equal(MetadataFailure.NotConfigured, failure.Failure);
        Assert.Contains("LastFm__ApiKey", failure.Message, StringComparison.Ordinal);
        Assert.Contains(LastFmOptions.KeyPage, failure.Message, StringComparison.Ordinal);
        Assert.Empty(rig.Fake.Requests);
    }

    [Fact]
    public async Task The_key_is_sent_with_every_request()
    {
        await using var rig = await LastFmRig.StartAsync();

        await rig.Provider.TrackInfoAsync(Hurt, CancellationToken.None);

        Assert.All(rig.Fake.Requests, r => Assert.True(r.KeyAccepted));
        Assert.All(rig.Fake.Requests, r => Assert.False(r.Parameters.ContainsKey("api_key")));
    }
}
