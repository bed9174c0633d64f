using System.Text.RegularExpressions;
using SpotMirror.Testing;

namespace SpotMirror.Chat.Tests;

public sealed partial class ConversationTests : IAsyncLifetime
{
    private ChatHarness _h = null!;

    public async Task InitializeAsync() => _h = await ChatHarness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"^(\d+)\. (.+) - (.+)  \((.+)\)$")]
    private static partial Regex TrackLinePattern();

    [Fact]
    public async Task A_mood_reply_names_each_track_as_a_numbered_title_artist_line_with_a_reason()
    {
        var reply = await _h.SayAsync("Ana", "/mood chill 4");

        Assert.NotNull(reply);
        Assert.Equal(ReplyKind.Tracks, reply.Kind);
        var lines = reply.ToPlainLines().Skip(1).ToList();
        Assert.Equal(4, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var match = TrackLinePattern().Match(lines[i]);
            Assert.True(match.Success, lines[i]);
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), match.Groups[1].Value);
        }
        Assert.Equal(4, reply.Tracks.Select(t => t.Artist).Distinct().Count());
    }

    [Theory]
    [InlineData("/mood chil", "Did you mean chill?")]
    [InlineData("/mood xyzzy", "Moods: happy, sad, chill")]
    [InlineData("/mood 🦄", "I don't know the mood")]
    public async Task An_unknown_mood_gets_a_did_you_mean_and_the_list_of_moods(string text, string expected)
    {
        var reply = await _h.SayAsync("Ana", text);

        Assert.Equal(ReplyKind.Problem, reply!.Kind);
        Assert.Contains(expected, string.Join("\n", reply.ToPlainLines()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/mood rainy sunday")]
    [InlineData("/mood 😌")]
    [InlineData("/mood 🎉 3")]
    [InlineData("/mood happy")]
    [InlineData("/mood relaxing")]
    public async Task Moods_work_from_names_synonyms_emoji_and_free_words(string text)
    {
        var reply = await _h.SayAsync("Ana", text);
        Assert.Equal(ReplyKind.Tracks, reply!.Kind);
    }

    [Fact]
    public async Task Liking_a_track_puts_its_artist_first_in_the_profile()
    {
        await _h.SayAsync("Ana", "/mood chill 5");
        var artist = _h.LastList!.Tracks[2].Artist;

        var receipt = await _h.ReactAsync("Ana", "❤️", item: 3);
        var profile = await _h.SayAsync("Ana", "/profile");

        Assert.Equal(ReplyKind.Receipt, receipt!.Kind);
        Assert.StartsWith("Artists: " + artist, profile!.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dislike_on_one_track_hides_it_until_the_reaction_is_removed()
    {
        await _h.SayAsync("Ana", "/mood chill 3");
        var hidden = _h.LastList!.Tracks[1].TrackId;
        var userId = await _h.UserIdAsync("Ana");

        await _h.ReactAsync("Ana", "👎", item: 2);
        for (var i = 0; i < 5; i++)
        {
            _h.Clock.Advance(TimeSpan.FromMinutes(1));
            var list = await _h.SayAsync("Ana", "/mood chill 10");
            Assert.DoesNotContain(hidden, list!.Tracks.Select(t => t.TrackId));
        }
        Assert.Contains(hidden, _h.Recommender.Preferences.TasteOf(userId).Hidden);

        await _h.ReactAsync("Ana", "👎", item: 2, added: false, messageId: "m1");

        Assert.Empty(_h.Recommender.Preferences.TasteOf(userId).Hidden);
    }

    [Fact]
    public async Task A_reaction_on_the_whole_reply_counts_lightly_for_every_track()
    {
        await _h.SayAsync("Ana", "/mood party 3");
        var userId = await _h.UserIdAsync("Ana");

        await _h.ReactAsync("Ana", "👍");

        var scores = _h.Recommender.Preferences.TasteOf(userId).Scores;
        Assert.Equal(_h.LastList!.Tracks.Select(t => t.TrackId).Order(), scores.Keys.Order());
        Assert.All(scores.Values, s => Assert.Equal(0.35, s, 6));
    }

    [Fact]
    public async Task A_keycap_likes_only_that_item_at_full_weight()
    {
        await _h.SayAsync("Ana", "/mood happy 5");
        var userId = await _h.UserIdAsync("Ana");

        await _h.ReactAsync("Ana", "4️⃣");

        var (track, score) = Assert.Single(_h.Recommender.Preferences.TasteOf(userId).Scores);
        Assert.Equal(_h.LastList!.Tracks[3].TrackId, track);
        Assert.Equal(1.0, score, 6);
    }

    [Fact]
    public async Task Removing_a_reaction_takes_it_back()
    {
        await _h.SayAsync("Ana", "/mood happy 2");
        var userId = await _h.UserIdAsync("Ana");
        await _h.ReactAsync("Ana", "🔥");

        var receipt = await _h.ReactAsync("Ana", "🔥", added: false);

        Assert.StartsWith("Taken back", receipt!.Title, StringComparison.Ordinal);
        Assert.True(_h.Recommender.Preferences.TasteOf(userId).IsEmpty);
        Assert.Empty(await _h.Store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_redelivered_reaction_changes_nothing_the_second_time()
    {
        await _h.SayAsync("Ana", "/mood happy 2");
        var userId = await _h.UserIdAsync("Ana");

        Assert.NotNull(await _h.ReactAsync("Ana", "❤️", item: 1, eventId: "same"));
        Assert.Null(await _h.ReactAsync("Ana", "❤️", item: 1, eventId: "same"));

        Assert.Equal(2.0, Assert.Single(_h.Recommender.Preferences.TasteOf(userId).Scores).Value, 6);
    }

    [Fact]
    public async Task Another_users_reaction_on_my_list_shapes_their_taste_not_mine()
    {
        await _h.SayAsync("Ana", "/mood happy 3");

        await _h.ReactAsync("Ben", "👍", item: 1);

        Assert.True(_h.Recommender.Preferences.TasteOf(await _h.UserIdAsync("Ana")).IsEmpty);
        Assert.Single(_h.Recommender.Preferences.TasteOf(await _h.UserIdAsync("Ben")).Scores);
    }

    [Fact]
    public async Task Reactions_that_mean_nothing_are_ignored_quietly()
    {
        await _h.SayAsync("Ana", "/mood happy 3");

        Assert.Null(await _h.ReactAsync("Ana", "🦄"));
        Assert.Null(await _h.ReactAsync("Ana", "👍", messageId: "not-a-bot-reply"));
        Assert.Empty(await _h.Store.LoadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reaction_on_an_item_the_reply_does_not_have_says_which_exist()
    {
        await _h.SayAsync("Ana", "/mood happy 3");

        var reply = await _h.ReactAsync("Ana", "👍", item: 7);

        Assert.Equal(ReplyKind.Problem, reply!.Kind);
        Assert.Contains("tracks 1 to 3", reply.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_again_brings_new_tracks_rather_than_the_same_list()
    {
        var first = await _h.SayAsync("Ana", "/mood chill 5");
        var second = await _h.SayAsync("Ana", "/mood chill 5");

        Assert.Empty(first!.Tracks.Select(t => t.TrackId).Intersect(second!.Tracks.Select(t => t.TrackId)));
    }
}
