using Microsoft.Extensions.Time.Testing;

namespace SpotMirror.Telegram.Tests;

public sealed class SendThrottleTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    private SendThrottle Throttle(int groupPerMinute = 20, int globalPerSecond = 30) =>
        new(_clock, TimeSpan.FromSeconds(1), groupPerMinute, globalPerSecond);

    [Fact]
    public void One_chat_gets_about_one_message_a_second()
    {
        var throttle = Throttle();
        Assert.Equal(TimeSpan.Zero, throttle.Wait("5", group: false));

        throttle.Sent("5", group: false);

        Assert.Equal(TimeSpan.FromSeconds(1), throttle.Wait("5", group: false));
        Assert.Equal(TimeSpan.Zero, throttle.Wait("6", group: false));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, throttle.Wait("5", group: false));
    }

    [Fact]
    public void A_group_gets_at_most_its_messages_a_minute()
    {
        var throttle = Throttle(groupPerMinute: 3);
        for (var i = 0; i < 3; i++)
        {
            throttle.Sent("-100", group: true);
            _clock.Advance(TimeSpan.FromSeconds(2));
        }

        Assert.Equal(TimeSpan.FromSeconds(54), throttle.Wait("-100", group: true));
        _clock.Advance(TimeSpan.FromSeconds(54));
        Assert.Equal(TimeSpan.Zero, throttle.Wait("-100", group: true));
    }

    [Fact]
    public void All_chats_together_stay_under_the_global_rate()
    {
        var throttle = Throttle(globalPerSecond: 2);
        throttle.Sent("1", false);
        throttle.Sent("2", false);

        Assert.Equal(TimeSpan.FromSeconds(1), throttle.Wait("3", false));
    }

    [Fact]
    public void Retry_after_holds_the_chat_for_as_long_as_telegram_asked()
    {
        var throttle = Throttle();

        throttle.Hold("5", TimeSpan.FromSeconds(120));

        Assert.Equal(TimeSpan.FromSeconds(120), throttle.Wait("5", false));
        throttle.Sent("5", false);
        Assert.Equal(TimeSpan.FromSeconds(120), throttle.Wait("5", false));
    }
}
