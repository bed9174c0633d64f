using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;

namespace SpotMirror.UseCases.Tests;

public sealed class FeedbackRacingForgetTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>
    /// As the chat and the API run them: the person is resolved and the feedback applied in one unit of work,
    /// and a forget finds and forgets in another. However they interleave, no write fails on a missing
    /// person, and what memory holds for them at the end is what the database holds.
    /// </summary>
    [Fact]
    public async Task Feedback_racing_a_forget_of_the_same_person_always_lands_and_memory_ends_as_stored()
    {
        using var rig = await UseCaseRig.StartAsync();
        var tracks = rig.Tracks(60);
        var person = new ChatUser("test", "racer", "racer");
        var transactions = new Storage.SqlTransactions(rig.Db.Database);
        var forgotten = 0;
        using var stop = new CancellationTokenSource();

        var forgetting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var gone = await transactions.RunAsync(async (unit, ct) =>
                    await rig.Users.FindAsync(person.Platform, person.PlatformUserId, ct) is { } id && await rig.Forget.ForgetAsync(unit, id, ct), None);
                if (gone) Interlocked.Increment(ref forgotten);
            }
        });
        var giving = Enumerable.Range(0, 3).Select(client => Task.Run(async () =>
        {
            // Rounds go on until the forget loop has won at least once, so the race really happens on a fast machine too.
            for (var round = 0; round < 500 && (round == 0 || Volatile.Read(ref forgotten) == 0); round++)
            {
                for (var i = client; i < tracks.Count; i += 3)
                {
                    var track = tracks[i];
                    var eventId = $"race-{round}-{i}";
                    var messageId = $"m{round}-{i}";
                    var done = await transactions.RunAsync(async (unit, ct) =>
                    {
                        var id = await rig.Users.ResolveAsync(unit, person, ct);
                        return await rig.Feedback.ApplyAsync(unit, UseCaseRig.Input(eventId, id, FeedbackSignal.Like, [track]) with { MessageId = messageId }, ct);
                    }, None);
                    Assert.Equal(FeedbackOutcome.Applied, done.Outcome);
                }
            }
        })).ToList();
        await Task.WhenAll(giving);
        await stop.CancelAsync();
        await forgetting;

        Assert.True(forgotten > 0);
        var stillThere = await rig.Users.FindAsync(person.Platform, person.PlatformUserId, None);
        var stored = (await rig.Store.LoadAsync(None)).Select(e => (e.UserId, e.TrackId)).Order().ToList();
        var inMemory = rig.Recommender.Preferences.TasteOf(stillThere ?? -1).Scores.Keys.Select(t => (stillThere ?? -1, t)).Order().ToList();
        Assert.Equal(stored, inMemory);
        Assert.Equal(rig.Recommender.Preferences.UserCount, stored.Select(s => s.UserId).Distinct().Count());
    }
}
