using SpotMirror.Chat;
using SpotMirror.Core;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Ranking;
using SpotMirror.Http;

namespace SpotMirror.Http.Tests;

/// <summary>
/// Two hosts over two fresh databases: on one, a person reacts in chat to one track of a list; on the
/// other, a script posts the same emoji on the same track over HTTP. The preference table and the next
/// recommendations come out the same.
/// </summary>
public sealed class FeedbackEquivalenceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData("👍")]
    [InlineData("🔥")]
    [InlineData("❤️")]
    [InlineData("👎")]
    [InlineData("⏭️")]
    public async Task Feedback_posted_over_http_changes_the_next_recommendation_exactly_as_a_chat_reaction(string emoji)
    {
        await using var chatSide = await ApiHost.StartAsync();
        await using var httpSide = await ApiHost.StartAsync();

        var chat = chatSide.Service<ChatService>();
        var ana = new ChatUser("test", "ana", "Ana");
        var list = await chat.HandleAsync(new CommandInvoked("e1", "test", "chat-1", ana, DateTimeOffset.UtcNow, "/mood chill 5"), None);
        await chat.RecordSentAsync("test", "chat-1", "m1", list!, None);
        var trackId = list!.Tracks[1].TrackId;
        var receipt = await chat.HandleAsync(new ReactionChanged("e2", "test", "chat-1", ana, DateTimeOffset.UtcNow, "m1", emoji, 2, Added: true), None);
        Assert.Equal(ReplyKind.Receipt, receipt?.Kind);

        using (var posted = await httpSide.PostFeedbackAsync("ana", new { trackId, signal = emoji })) posted.EnsureSuccessStatusCode();

        var chatRow = Assert.Single(await chatSide.Service<IPreferenceStore>().LoadAsync(None));
        var httpRow = Assert.Single(await httpSide.Service<IPreferenceStore>().LoadAsync(None));
        Assert.Equal((trackId, chatRow.Score, chatRow.HardDislikes), (httpRow.TrackId, httpRow.Score, httpRow.HardDislikes));

        var chatUser = await chatSide.Service<IUserDirectory>().FindAsync("test", "ana", None);
        var recommender = chatSide.Service<Recommender>();
        var chill = recommender.Moods.Resolve("chill").Target;
        var chatNext = Lines(recommender.Recommend(new RecommendationRequest { UserId = chatUser, Count = 10 }));
        var chatNextChill = Lines(recommender.Recommend(new RecommendationRequest { UserId = chatUser, Count = 10, Mood = chill }));

        var httpNext = await httpSide.GetJsonAsync<TrackList>("/recommend?user=ana&top=10");
        var httpNextChill = await httpSide.GetJsonAsync<TrackList>("/recommend/mood?mood=chill&user=ana&top=10");
        Assert.Equal(chatNext, httpNext.Tracks.Select(t => (t.Id, t.Reason)));
        Assert.Equal(chatNextChill, httpNextChill.Tracks.Select(t => (t.Id, t.Reason)));
        Assert.DoesNotContain(trackId, httpNext.Tracks.Select(t => t.Id));
    }

    private static List<(long, string)> Lines(IReadOnlyList<Recommendation> list) => list.Select(r => (r.Track.Id, r.Reason)).ToList();
}
