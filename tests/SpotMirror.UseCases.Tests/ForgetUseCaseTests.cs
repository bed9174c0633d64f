using SpotMirror.Core.Preferences;

namespace SpotMirror.UseCases.Tests;

public sealed class ForgetUseCaseTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Forgetting_someone_removes_their_rows_and_their_taste_in_memory_and_no_one_elses()
    {
        using var rig = await UseCaseRig.StartAsync();
        var ana = await rig.UserAsync("ana");
        var ben = await rig.UserAsync("ben");
        var track = rig.Tracks(1)[0];
        await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e1", ana, FeedbackSignal.Like, [track]), None));
        await rig.Db.Alone(u => rig.Feedback.ApplyAsync(u, UseCaseRig.Input("e2", ben, FeedbackSignal.Like, [track]), None));

        Assert.True(await rig.Db.Alone(u => rig.Forget.ForgetAsync(u, ana, None)));

        Assert.Equal(ben, Assert.Single(await rig.Store.LoadAsync(None)).UserId);
        Assert.True(rig.Recommender.Preferences.TasteOf(ana).IsEmpty);
        Assert.False(rig.Recommender.Preferences.TasteOf(ben).IsEmpty);
        Assert.Null(await rig.Users.FindAsync("test", "ana", None));
        Assert.False(await rig.Db.Alone(u => rig.Forget.ForgetAsync(u, ana, None)));
    }
}
