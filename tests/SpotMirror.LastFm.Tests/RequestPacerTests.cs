using Microsoft.Extensions.Time.Testing;

namespace SpotMirror.LastFm.Tests;

/// <summary>The client-side rate limit on a fake clock: slots a fixed interval apart, shared by every caller.</summary>
public sealed class RequestPacerTests
{
    [Fact]
    public async Task Requests_leave_no_faster_than_the_configured_rate()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var pacer = new RequestPacer(new LastFmOptions { RequestsPerSecond = 4 }, clock);

        var first = pacer.WaitTurnAsync(CancellationToken.None);
        var second = pacer.WaitTurnAsync(CancellationToken.None);
        var third = pacer.WaitTurnAsync(CancellationToken.None);

        Assert.True(first.IsCompleted);
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(249));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        await third;
        Assert.Equal(3, pacer.Calls);
    }

    [Fact]
    public void After_a_quiet_spell_the_next_request_goes_at_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var pacer = new RequestPacer(new LastFmOptions { RequestsPerSecond = 2 }, clock);
        _ = pacer.WaitTurnAsync(CancellationToken.None);

        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(pacer.WaitTurnAsync(CancellationToken.None).IsCompleted);
    }
}
