using SpotMirror.Core.Ports;
using SpotMirror.Testing;

namespace SpotMirror.Chat.Tests;

public sealed class CommandRepliesTests : IAsyncLifetime
{
    private ChatHarness _h = null!;

    public async Task InitializeAsync() => _h = await ChatHarness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Help_says_it_all_in_two_lines()
    {
        var reply = await _h.SayAsync("Ana", "/help");

        Assert.Equal(2, reply!.Lines.Count);
        foreach (var word in new[] { "/mood", "/similar", "/recommend", "/popular", "/profile", "/forget", "👍", "❤️", "👎", "⏭️", "1️⃣", "Remove" })
        {
            Assert.Contains(word, string.Join(" ", reply.Lines), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/similar Nightcall", "Like Nightcall - Kavinsky:")]
    [InlineData("/similar nightcall - kavinsky", "Like Nightcall - Kavinsky:")]
    [InlineData("/similar Daft Punk", "Like Daft Punk:")]
    public async Task Similar_finds_a_track_or_an_artist_and_never_lists_it_back(string text, string title)
    {
        var reply = await _h.SayAsync("Ana", text);

        Assert.Equal(title, reply!.Title);
        Assert.DoesNotContain(reply.Tracks, t => title.Contains(t.Title + " - ", StringComparison.Ordinal) && title.Contains(t.Artist, StringComparison.Ordinal));
        Assert.All(reply.Tracks, t => Assert.StartsWith("similar to", t.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Similar_to_something_unknown_says_so_instead_of_guessing()
    {
        var reply = await _h.SayAsync("Ana", "/similar Qwzxv Plorp");

        Assert.Equal(ReplyKind.Problem, reply!.Kind);
        Assert.Contains("I don't know a track or artist", reply.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Popular_with_a_tag_lists_only_tracks_with_that_tag()
    {
        var reply = await _h.SayAsync("Ana", "/popular jazz 6");

        Assert.Equal(6, reply!.Tracks.Count);
        var catalog = _h.Recommender.Catalog;
        Assert.All(reply.Tracks, t =>
        {
            Assert.True(catalog.TryGetItem(t.TrackId, out var item));
            Assert.Contains(catalog[item].Tags, tag => tag.Tag == "jazz");
        });
    }

    [Fact]
    public async Task Popular_counts_local_likes_once_people_react()
    {
        await _h.SayAsync("Ana", "/mood party 3");
        var liked = _h.LastList!.Tracks[0];
        await _h.ReactAsync("Ana", "👍", item: 1);
        await _h.ReactAsync("Ben", "❤️", item: 1);

        var reply = await _h.SayAsync("Cleo", "/popular");

        Assert.Equal(liked.TrackId, reply!.Tracks[0].TrackId);
        Assert.Equal("liked by 2 listeners here", reply.Tracks[0].Reason);
    }

    [Fact]
    public async Task Popular_with_an_unknown_tag_says_so()
    {
        var reply = await _h.SayAsync("Ana", "/popular vaporwave-polka");
        Assert.Equal(ReplyKind.Problem, reply!.Kind);
    }

    [Fact]
    public async Task Recommend_learns_from_likes_and_says_why()
    {
        await _h.SayAsync("Ana", "/similar Metallica");
        await _h.ReactAsync("Ana", "❤️", item: 1);
        await _h.ReactAsync("Ana", "❤️", item: 2);

        var reply = await _h.SayAsync("Ana", "/recommend 5");

        Assert.Equal(5, reply!.Tracks.Count);
        Assert.Contains(reply.Tracks, t => t.Reason.Contains("because you liked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_newcomer_with_no_signals_still_gets_a_list_that_says_why()
    {
        var reply = await _h.SayAsync("Ana", "/recommend 3");

        Assert.Equal(3, reply!.Tracks.Count);
        Assert.All(reply.Tracks, t => Assert.Contains("react to teach me", t.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Profile_of_a_newcomer_explains_how_to_teach_it()
    {
        var reply = await _h.SayAsync("Ana", "/profile");
        Assert.Contains("don't know your taste yet", reply!.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_asks_first_and_then_deletes_everything_about_the_user()
    {
        await _h.SayAsync("Ana", "/mood chill 3");
        await _h.ReactAsync("Ana", "❤️", item: 1);
        var userId = await _h.UserIdAsync("Ana");

        var ask = await _h.SayAsync("Ana", "/forget");
        Assert.Contains("/forget yes", string.Join(" ", ask!.ToPlainLines()), StringComparison.Ordinal);
        Assert.False(_h.Recommender.Preferences.TasteOf(userId).IsEmpty);

        await _h.SayAsync("Ana", "/forget yes");

        Assert.True(_h.Recommender.Preferences.TasteOf(userId).IsEmpty);
        Assert.Empty(await _h.Store.LoadAsync(CancellationToken.None));
        Assert.Contains("don't know your taste", (await _h.SayAsync("Ana", "/profile"))!.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/mood \u0000\u0001")]
    [InlineData("/mood \u202Eevil")]
    [InlineData("/similar '; DROP TABLE tracks; --")]
    [InlineData("/popular ' OR 1=1 --")]
    [InlineData("/mood 𝓬𝓱𝓲𝓵𝓵")]
    [InlineData("/similar 🎸🎸🎸")]
    [InlineData("/unknown")]
    public async Task Odd_input_gets_a_friendly_problem_reply_and_breaks_nothing(string text)
    {
        var reply = await _h.SayAsync("Ana", text);

        Assert.Equal(ReplyKind.Problem, reply!.Kind);
        Assert.Equal(ReplyKind.Tracks, (await _h.SayAsync("Ana", "/mood chill"))!.Kind);
        Assert.True(_h.Recommender.Catalog.Count >= 300);
    }

    [Fact]
    public async Task A_flood_of_commands_gets_one_polite_answer_then_silence_until_it_calms_down()
    {
        var replies = new List<Reply?>();
        for (var i = 0; i < 30; i++) replies.Add(await _h.SayAsync("Ana", "/popular"));

        Assert.Equal(10, replies.Count(r => r?.Kind == ReplyKind.Tracks));
        Assert.Single(replies, r => r?.Kind == ReplyKind.Problem && r.Title.StartsWith("Easy there, Ana", StringComparison.Ordinal));
        Assert.Equal(19, replies.Count(r => r is null));
        Assert.Equal(ReplyKind.Tracks, (await _h.SayAsync("Ben", "/popular"))!.Kind);

        _h.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(ReplyKind.Tracks, (await _h.SayAsync("Ana", "/popular"))!.Kind);
    }

    [Fact]
    public async Task A_failing_store_gets_an_apology_and_the_next_request_works()
    {
        using var h = await ChatHarness.StartAsync(wrapStore: inner => new FailingStore(inner));
        await h.SayAsync("Ana", "/mood chill 3");

        var reply = await h.ReactAsync("Ana", "👍", item: 1);

        Assert.Equal(ReplyKind.Problem, reply!.Kind);
        Assert.Contains("Something went wrong on my side", reply.Title, StringComparison.Ordinal);
        Assert.Contains("not saved", reply.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("lost", reply.Title, StringComparison.Ordinal);
        Assert.Equal(ReplyKind.Tracks, (await h.SayAsync("Ana", "/mood chill 3"))!.Kind);
    }

    private sealed class FailingStore(IPreferenceStore inner) : IPreferenceStore
    {
        public Task<IReadOnlyList<Core.Preferences.PreferenceEntry>> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public Task<FeedbackResult> ApplyAsync(IUnitOfWork unit, FeedbackCommand command, CancellationToken cancellationToken) =>
            throw new IOException("disk unplugged");
    }
}
