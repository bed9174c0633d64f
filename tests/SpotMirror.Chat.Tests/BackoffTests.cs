namespace SpotMirror.Chat.Tests;

/// <summary>The adapters' one backoff: doubling from the first wait, capped, and stretched by at most its jitter.</summary>
public sealed class BackoffTests
{
    private static readonly Backoff Reconnect = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), Jitter: 0.2);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(1000, 60)]
    public void The_wait_doubles_from_the_first_up_to_the_cap_plus_at_most_the_jitter(int failures, double seconds)
    {
        for (var i = 0; i < 50; i++)
        {
            var wait = Reconnect.Delay(failures);

            Assert.InRange(wait.TotalSeconds, seconds, seconds * 1.2);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_count_below_one_waits_the_first_wait(int failures) =>
        Assert.InRange(Reconnect.Delay(failures).TotalSeconds, 1, 1.2);

    [Fact]
    public void Without_jitter_the_wait_is_exact() =>
        Assert.Equal(TimeSpan.FromSeconds(8), new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), Jitter: 0).Delay(3));
}
