using SpotMirror.Chat;
using SpotMirror.Testing;

namespace SpotMirror.Chat.Tests;

/// <summary>Per-track buttons: a press puts the emoji on that track, the next press takes it back.</summary>
public sealed class ButtonTests : IAsyncLifetime
{
    private ChatHarness _h = null!;

    public async Task InitializeAsync() => _h = await ChatHarness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_press_likes_one_track_at_full_weight_and_says_so()
    {
        await _h.SayAsync("Ana", "/mood happy 3");
        var userId = await _h.UserIdAsync("Ana");
        var second = _h.LastList!.Tracks[1];

        var receipt = await _h.PressAsync("Ana", "👍", 2);

        Assert.Equal(ReplyKind.Receipt, receipt!.Kind);
        Assert.Equal($"Noted: more like {second.Title}.", receipt.Title);
        var score = Assert.Single(_h.Recommender.Preferences.TasteOf(userId).Scores);
        Assert.Equal((second.TrackId, 1.0), (score.Key, Math.Round(score.Value, 6)));
    }

    [Fact]
    public async Task A_second_press_of_the_same_button_takes_it_back()
    {
        await _h.SayAsync("Ana", "/mood happy 3");
        var userId = await _h.UserIdAsync("Ana");
        await _h.PressAsync("Ana", "❤️", 1);

        var receipt = await _h.PressAsync("Ana", "❤️", 1);

        Assert.StartsWith("Taken back", receipt!.Title, StringComparison.Ordinal);
        Assert.True(_h.Recommender.Preferences.TasteOf(userId).IsEmpty);
        Assert.Empty(await _h.Store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_dislike_button_hides_the_track_from_the_next_lists()
    {
        await _h.SayAsync("Ana", "/mood happy 3");
        var first = _h.LastList!.Tracks[0];

        var receipt = await _h.PressAsync("Ana", "👎", 1);

        Assert.StartsWith("Hidden", receipt!.Title, StringComparison.Ordinal);
        var again = await _h.SayAsync("Ana", "/mood happy 10");
        Assert.DoesNotContain(again!.Tracks, t => t.TrackId == first.TrackId);
    }

    [Fact]
    public async Task A_button_under_a_list_nobody_knows_gets_a_kind_answer()
    {
        var receipt = await _h.PressAsync("Ana", "👍", 1, messageId: "long-gone");

        Assert.Equal(ReplyKind.Problem, receipt!.Kind);
        Assert.Contains("That list is too old", receipt.Title, StringComparison.Ordinal);
    }
}
