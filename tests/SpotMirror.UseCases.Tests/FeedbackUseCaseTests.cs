using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;

namespace SpotMirror.UseCases.Tests;

/// <summary>
/// Feedback, the one path every front end takes (chat reactions and buttons, the HTTP API): the learner's
/// weight and hide rule reach the preference table and the in-memory matrix alike, so the next
/// recommendation already reflects them, and an event id counts once.
/// </summary>
public sealed class FeedbackUseCaseTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(FeedbackSignal.Like, 1.0, false)]
    [InlineData(FeedbackSignal.Love, 2.0, false)]
    [InlineData(FeedbackSignal.Dislike, -2.0, true)]
    [InlineData(FeedbackSignal.Skip, -0.5, false)]
    public async Task Feedback_on_one_track_stores_the_learners_weight_and_the_next_list_knows_it_at_once(FeedbackSignal signal, double weight, bool hides)
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var track = rig.Tracks(1)[0];

        var done = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e1", ana, signal, [track]), None));

        Assert.Equal((FeedbackOutcome.Applied, true, weight, hides), (done.Outcome, done.Added, done.Weight, done.Hides));
        var row = Assert.Single(await rig.Store.LoadAsync(None));
        Assert.Equal((track, weight, hides ? 1 : 0), (row.TrackId, Math.Round(row.Score, 9), row.HardDislikes));
        var taste = rig.Recommender.Preferences.TasteOf(ana);
        Assert.Equal(hides, taste.Hidden.Contains(track));
        Assert.True(taste.Scores.ContainsKey(track));
        var next = rig.Recommender.Recommend(new RecommendationRequest { UserId = ana, Count = 10 });
        Assert.DoesNotContain(track, next.Select(r => r.Track.Id));
    }

    [Fact]
    public async Task A_reaction_on_a_whole_list_counts_lightly_for_each_track_and_never_hides()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var tracks = rig.Tracks(3);

        var done = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e1", ana, FeedbackSignal.Dislike, tracks, item: null) with { FullWeight = false }, None));

        var expected = rig.Learner.WeightOf(FeedbackSignal.Dislike, fullWeight: false);
        Assert.Equal((expected, false), (done.Weight, done.Hides));
        var rows = await rig.Store.LoadAsync(None);
        Assert.Equal(tracks.Order(), rows.Select(r => r.TrackId).Order());
        Assert.All(rows, r => Assert.Equal((expected, 0), (Math.Round(r.Score, 9), r.HardDislikes)));
    }

    [Fact]
    public async Task Feedback_on_a_group_playlist_counts_at_the_group_factor()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");

        var done = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e1", ana, FeedbackSignal.Love, rig.Tracks(1)) with { InGroup = true }, None));

        Assert.Equal(rig.Learner.WeightOf(FeedbackSignal.Love, fullWeight: true, groupContext: true), done.Weight);
    }

    [Fact]
    public async Task A_redelivered_event_changes_nothing()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var input = UseCaseRig.Input("e1", ana, FeedbackSignal.Like, rig.Tracks(1));

        await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, input, None));
        var again = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, input, None));

        Assert.Equal(FeedbackOutcome.Duplicate, again.Outcome);
        Assert.Equal(1.0, Assert.Single(await rig.Store.LoadAsync(None)).Score, 9);
    }

    [Fact]
    public async Task Taking_feedback_back_leaves_the_table_and_the_matrix_as_they_were()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var track = rig.Tracks(1)[0];

        await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e1", ana, FeedbackSignal.Dislike, [track]), None));
        var back = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e2", ana, FeedbackSignal.Dislike, [track], added: false), None));

        Assert.Equal((FeedbackOutcome.Applied, false), (back.Outcome, back.Added));
        Assert.Empty(await rig.Store.LoadAsync(None));
        Assert.True(rig.Recommender.Preferences.TasteOf(ana).IsEmpty);
    }

    [Fact]
    public async Task A_toggle_gives_the_feedback_then_takes_it_back()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var press = UseCaseRig.Input("p1", ana, FeedbackSignal.Love, rig.Tracks(1)) with { Toggle = true };

        var on = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, press, None));
        var off = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, press with { EventId = "p2" }, None));

        Assert.Equal((true, false), (on.Added, off.Added));
        Assert.True(rig.Recommender.Preferences.TasteOf(ana).IsEmpty);
    }

    [Fact]
    public async Task An_emoji_with_a_variation_selector_is_stored_as_the_plain_emoji()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var track = rig.Tracks(1)[0];

        await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e1", ana, FeedbackSignal.Love, [track]) with { Emoji = "❤️" }, None));
        var back = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e2", ana, FeedbackSignal.Love, [track], added: false) with { Emoji = "❤" }, None));

        Assert.Equal(FeedbackOutcome.Applied, back.Outcome);
    }

    [Fact]
    public async Task The_matrix_changes_only_when_the_unit_of_work_commits()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var track = rig.Tracks(1)[0];

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Db.Alone(async u =>
        {
            await rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e1", ana, FeedbackSignal.Love, [track]), None);
            Assert.True(rig.Recommender.Preferences.TasteOf(ana).IsEmpty);
            throw new InvalidOperationException("the batch failed before its commit");
        }));

        Assert.True(rig.Recommender.Preferences.TasteOf(ana).IsEmpty);
        Assert.Empty(await rig.Store.LoadAsync(None));
        var retried = await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e1", ana, FeedbackSignal.Love, [track]), None));
        Assert.Equal(FeedbackOutcome.Applied, retried.Outcome);
        Assert.False(rig.Recommender.Preferences.TasteOf(ana).IsEmpty);
    }
}
