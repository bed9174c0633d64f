using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Chat.Tests;

/// <summary>Emoji that mean the same (skin tones, 👍 and 🔥) are one signal on one track, stored under one key.</summary>
public sealed class ReactionMeaningTests : IAsyncLifetime
{
    private ChatHarness _h = null!;

    public async Task InitializeAsync() => _h = await ChatHarness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("👍", "👍")]
    [InlineData("👍🏻", "👍")]
    [InlineData("👍🏿", "👍")]
    [InlineData("🔥", "👍")]
    [InlineData("❤️", "❤")]
    [InlineData("❤", "❤")]
    [InlineData("👎🏽", "👎")]
    [InlineData("⏭️", "⏭")]
    [InlineData("3️⃣", "3\u20E3")]
    [InlineData("🎧", "🎧")]
    public void Every_emoji_of_one_meaning_is_stored_under_that_meanings_key(string emoji, string key) =>
        Assert.Equal(key, ReactionVocabulary.Key(emoji));

    [Fact]
    public async Task Every_skin_tone_and_fire_on_one_track_by_one_person_count_as_one_like()
    {
        await _h.SayAsync("Ana", "/mood happy 3");
        var userId = await _h.UserIdAsync("Ana");
        var first = _h.LastList!.Tracks[0].TrackId;

        var receipts = new List<Reply?>();
        foreach (var emoji in new[] { "👍", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿", "🔥" }) receipts.Add(await _h.ReactAsync("Ana", emoji, 1));

        Assert.NotNull(receipts[0]);
        Assert.All(receipts.Skip(1), Assert.Null);
        Assert.Equal(1.0, Math.Round(_h.Recommender.Preferences.TasteOf(userId).Scores[first], 6));
    }

    [Fact]
    public async Task Two_dislikes_in_different_skin_tones_hide_once_and_one_removal_shows_the_track_again()
    {
        await _h.SayAsync("Ana", "/mood happy 3");
        var userId = await _h.UserIdAsync("Ana");
        var first = _h.LastList!.Tracks[0].TrackId;

        await _h.ReactAsync("Ana", "👎🏻", 1);
        await _h.ReactAsync("Ana", "👎🏿", 1);
        await _h.ReactAsync("Ana", "👎", 1, added: false);

        Assert.DoesNotContain(first, _h.Recommender.Preferences.TasteOf(userId).Hidden);
        Assert.Empty(await _h.Store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reaction_put_on_with_a_skin_tone_is_taken_back_without_one()
    {
        await _h.SayAsync("Ana", "/mood happy 3");
        var userId = await _h.UserIdAsync("Ana");
        await _h.ReactAsync("Ana", "👍🏿", 2);

        var receipt = await _h.ReactAsync("Ana", "👍", 2, added: false);

        Assert.StartsWith("Taken back", receipt!.Title, StringComparison.Ordinal);
        Assert.True(_h.Recommender.Preferences.TasteOf(userId).IsEmpty);
    }

    [Fact]
    public async Task Two_emoji_of_one_mood_ask_for_that_mood_and_two_moods_show_in_the_header()
    {
        var one = await _h.SayAsync("Ana", "/mood 😌😌 3");
        var two = await _h.SayAsync("Ana", "/mood 😌 🎉 3");

        Assert.Equal("Chill for you:", one!.Title);
        Assert.Equal("😌 🎉 for you:", two!.Title);
        Assert.All(two.Tracks, t => Assert.DoesNotContain("fits \"\"", t.Reason, StringComparison.Ordinal));
        Assert.Contains(two.Tracks, t => t.Reason.Contains("fits \"😌 🎉\"", StringComparison.Ordinal));
    }
}

/// <summary>A press or reaction on a message the ledger never learned (its id got lost on the way back).</summary>
public sealed class UnknownMessageTests : IAsyncLifetime
{
    private ChatHarness _h = null!;

    public async Task InitializeAsync() => _h = await ChatHarness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_button_that_names_its_track_counts_on_a_message_the_ledger_does_not_know()
    {
        var catalog = _h.Recommender.Catalog;
        var track = catalog[0];
        var press = new ButtonPressed("evt-lost-1", ChatHarness.Platform, ChatHarness.ChatId, ChatHarness.User("Ana"), _h.Clock.GetUtcNow(),
            "never-recorded", "👍", 2, track.Id);

        var receipt = await _h.HandleAsync(press);

        Assert.Equal($"Noted: more like {track.Title}.", receipt!.Title);
        var userId = await _h.UserIdAsync("Ana");
        Assert.Equal(1.0, Math.Round(_h.Recommender.Preferences.TasteOf(userId).Scores[track.Id], 6));
    }

    [Fact]
    public async Task A_button_without_a_track_on_an_unknown_message_is_told_the_list_is_too_old()
    {
        var receipt = await _h.PressAsync("Ana", "👍", 1, messageId: "never-recorded");

        Assert.Equal(ReplyKind.Problem, receipt!.Kind);
        Assert.StartsWith("That list is too old", receipt.Title, StringComparison.Ordinal);
    }
}
