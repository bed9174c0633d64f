using SpotMirror.Core.Preferences;

namespace SpotMirror.Chat.Tests;

public sealed class ReactionVocabularyTests
{
    [Theory]
    [InlineData("👍", FeedbackSignal.Like)]
    [InlineData("👍🏽", FeedbackSignal.Like)]
    [InlineData("🔥", FeedbackSignal.Like)]
    [InlineData("❤️", FeedbackSignal.Love)]
    [InlineData("❤", FeedbackSignal.Love)]
    [InlineData("👎", FeedbackSignal.Dislike)]
    [InlineData("👎🏿", FeedbackSignal.Dislike)]
    [InlineData("⏭️", FeedbackSignal.Skip)]
    [InlineData("⏭", FeedbackSignal.Skip)]
    public void Each_feedback_emoji_means_its_signal_for_the_whole_reply(string emoji, FeedbackSignal signal)
    {
        Assert.True(ReactionVocabulary.TryInterpret(emoji, out var meaning));
        Assert.Equal(new ReactionMeaning(signal, null), meaning);
    }

    [Theory]
    [InlineData("1️⃣", 1)]
    [InlineData("1⃣", 1)]
    [InlineData("5️⃣", 5)]
    [InlineData("9️⃣", 9)]
    [InlineData("🔟", 10)]
    public void A_keycap_likes_that_one_item(string emoji, int item)
    {
        Assert.True(ReactionVocabulary.TryInterpret(emoji, out var meaning));
        Assert.Equal(new ReactionMeaning(FeedbackSignal.Like, item), meaning);
    }

    [Theory]
    [InlineData("🦄")]
    [InlineData("0️⃣")]
    [InlineData("")]
    [InlineData("like")]
    [InlineData(":custom_emoji:")]
    public void Other_emoji_mean_nothing(string emoji) => Assert.False(ReactionVocabulary.TryInterpret(emoji, out _));
}
