using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

public abstract class PreferenceStoreTests : IDisposable
{
    private readonly StoreFixture _f;

    protected PreferenceStoreTests(StoreProvider provider)
    {
        _f = new StoreFixture(provider);
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_like_lands_in_the_preference_table_and_the_log()
    {
        var user = await _f.UserAsync();

        var result = await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, added: true, delta: 1.0), CancellationToken.None);

        Assert.Equal(FeedbackOutcome.Applied, result.Outcome);
        var stored = Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None));
        Assert.Equal((user, _f.TrackIds[0], 1.0), (stored.UserId, stored.TrackId, stored.Score));
        Assert.Equal(1L, await Scalar("SELECT COUNT(*) FROM feedback_events WHERE event_id = 'e1' AND outcome = 'applied'"));
    }

    [Fact]
    public async Task A_redelivered_event_changes_nothing()
    {
        var user = await _f.UserAsync();
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0), CancellationToken.None);

        var again = await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0), CancellationToken.None);

        Assert.Equal(FeedbackOutcome.Duplicate, again.Outcome);
        Assert.Equal(1.0, Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None)).Score);
        Assert.Equal(1L, await Scalar("SELECT COUNT(*) FROM feedback_events"));
    }

    [Fact]
    public async Task The_same_reaction_added_twice_under_new_event_ids_counts_once()
    {
        var user = await _f.UserAsync();
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0), CancellationToken.None);

        var second = await _f.Preferences.ApplyAsync(_f.Feedback("e2", user, true, 1.0), CancellationToken.None);

        Assert.Equal(FeedbackOutcome.NoChange, second.Outcome);
        Assert.Equal(1.0, Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None)).Score);
    }

    [Fact]
    public async Task Removing_a_reaction_takes_its_effect_back_exactly()
    {
        var user = await _f.UserAsync();
        var then = DateTimeOffset.UtcNow.AddDays(-30);
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0, at: then), CancellationToken.None);

        var removed = await _f.Preferences.ApplyAsync(_f.Feedback("e2", user, false, 1.0, at: then.AddDays(10)), CancellationToken.None);

        Assert.Equal(FeedbackOutcome.Applied, removed.Outcome);
        Assert.Empty(await _f.Preferences.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Removing_one_reaction_leaves_another_on_the_same_track()
    {
        var user = await _f.UserAsync();
        var now = DateTimeOffset.UtcNow;
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0, emoji: "👍", at: now), CancellationToken.None);
        await _f.Preferences.ApplyAsync(_f.Feedback("e2", user, true, 2.0, emoji: "❤", at: now), CancellationToken.None);

        await _f.Preferences.ApplyAsync(_f.Feedback("e3", user, false, 1.0, emoji: "👍", at: now), CancellationToken.None);

        Assert.Equal(2.0, Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None)).Score, 9);
    }

    [Fact]
    public async Task Removing_a_reaction_that_is_not_on_changes_nothing()
    {
        var user = await _f.UserAsync();

        var result = await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, false, 1.0), CancellationToken.None);

        Assert.Equal(FeedbackOutcome.NoChange, result.Outcome);
        Assert.Empty(await _f.Preferences.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_full_weight_dislike_hides_the_track_until_taken_back()
    {
        var user = await _f.UserAsync();
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, -2.0, hides: true, emoji: "👎", item: 1), CancellationToken.None);
        Assert.True(Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None)).Hidden);

        await _f.Preferences.ApplyAsync(_f.Feedback("e2", user, false, -2.0, hides: true, emoji: "👎", item: 1), CancellationToken.None);

        Assert.Empty(await _f.Preferences.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reaction_on_a_whole_reply_changes_every_track_in_one_transaction()
    {
        var user = await _f.UserAsync();

        var result = await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 0.35, tracks: [.. _f.TrackIds]), CancellationToken.None);

        Assert.Equal(3, result.Changed.Count);
        Assert.Equal(3, (await _f.Preferences.LoadAsync(CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Feedback_on_a_track_that_does_not_exist_fails_whole_and_logs_nothing()
    {
        var user = await _f.UserAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0, tracks: [_f.TrackIds[0], 999_999]), CancellationToken.None));

        Assert.Empty(await _f.Preferences.LoadAsync(CancellationToken.None));
        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM feedback_events"));
    }

    [Fact]
    public async Task A_flood_of_concurrent_reactions_is_applied_without_loss()
    {
        var users = new List<long>();
        for (var i = 0; i < 20; i++) users.Add(await _f.UserAsync($"user{i}"));

        await Task.WhenAll(users.Select((u, i) => _f.Preferences.ApplyAsync(_f.Feedback($"e{i}", u, true, 1.0), CancellationToken.None)));

        Assert.Equal(20, (await _f.Preferences.LoadAsync(CancellationToken.None)).Count);
        Assert.Equal(20L, await Scalar("SELECT COUNT(*) FROM feedback_events"));
    }

    [Fact]
    public async Task Forgetting_a_user_deletes_their_preferences_log_and_reactions()
    {
        var user = await _f.UserAsync();
        var other = await _f.UserAsync("ben");
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0), CancellationToken.None);
        await _f.Preferences.ApplyAsync(_f.Feedback("e2", other, true, 1.0), CancellationToken.None);

        Assert.True(await _f.Db.Alone(u => _f.Users.ForgetAsync(u, user, CancellationToken.None)));

        Assert.Equal(other, Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None)).UserId);
        Assert.Equal(0L, await Scalar($"SELECT COUNT(*) FROM feedback_events WHERE user_id = {user}"));
        Assert.Equal(0L, await Scalar($"SELECT COUNT(*) FROM active_reactions WHERE user_id = {user}"));
        Assert.False(await _f.Db.Alone(u => _f.Users.ForgetAsync(u, user, CancellationToken.None)));
    }

    [Theory]
    [InlineData("a like", true, false, "add", "applied")]
    [InlineData("a removal of what is not on", false, false, "remove", "no-change")]
    [InlineData("a toggle that turns it off", true, true, "remove", "applied")]
    public async Task The_log_row_is_written_once_with_its_outcome_and_the_direction_it_took(string what, bool added, bool toggleOn, string action, string outcome)
    {
        var user = await _f.UserAsync();
        if (toggleOn) await _f.Preferences.ApplyAsync(_f.Feedback("before", user, true, 1.0, item: 1) with { Toggle = true }, CancellationToken.None);

        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, added, 1.0, item: 1) with { Toggle = toggleOn }, CancellationToken.None);

        Assert.True(1L == await Scalar($"SELECT COUNT(*) FROM feedback_events WHERE event_id = 'e1' AND action = '{action}' AND outcome = '{outcome}'"), what);
    }

    [Fact]
    public async Task An_event_id_reused_for_another_reaction_is_a_conflict_and_changes_nothing()
    {
        var user = await _f.UserAsync();
        await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 1.0), CancellationToken.None);

        var reused = await _f.Preferences.ApplyAsync(_f.Feedback("e1", user, true, 2.0, emoji: "❤️"), CancellationToken.None);

        Assert.Equal(FeedbackOutcome.Conflict, reused.Outcome);
        Assert.Equal(1.0, Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None)).Score);
        Assert.Equal(0L, await Scalar("SELECT COUNT(*) FROM active_reactions WHERE emoji = '❤️'"));
    }

    [Fact]
    public async Task Events_in_one_unit_each_apply_once_though_they_share_the_statements_compiled_for_the_first()
    {
        var user = await _f.UserAsync();
        var other = await _f.UserAsync("ben");

        var outcomes = await _f.Db.Alone(async unit =>
        {
            var results = new List<FeedbackOutcome>();
            foreach (var command in new[]
            {
                _f.Feedback("u1", user, true, 1.0),
                _f.Feedback("u2", other, true, 2.0, item: 3),
                _f.Feedback("u1", user, true, 1.0),
                _f.Feedback("u3", user, false, 1.0),
                _f.Feedback("u4", other, true, -2.0, hides: true, emoji: "👎", item: 3),
            })
            {
                results.Add((await _f.Preferences.ApplyAsync(unit, command, CancellationToken.None)).Outcome);
            }
            return results;
        });

        Assert.Equal([FeedbackOutcome.Applied, FeedbackOutcome.Applied, FeedbackOutcome.Duplicate, FeedbackOutcome.Applied, FeedbackOutcome.Applied], outcomes);
        var stored = Assert.Single(await _f.Preferences.LoadAsync(CancellationToken.None));
        Assert.Equal((other, 0.0, 1), (stored.UserId, Math.Round(stored.Score, 6), stored.HardDislikes));
        Assert.Equal(4L, await Scalar("SELECT COUNT(*) FROM feedback_events"));
        Assert.Equal(1L, await Scalar("SELECT COUNT(*) FROM active_reactions WHERE item_index = 3 AND emoji = '👎'"));
    }

    private Task<long> Scalar(string sql) => _f.Db.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(sql), CancellationToken.None);
}

public sealed class PreferenceStoreOnSqliteTests() : PreferenceStoreTests(StoreProvider.Sqlite);

public sealed class PreferenceStoreOnPostgresTests() : PreferenceStoreTests(StoreProvider.Postgres);
