using SpotMirror.Core.Catalog;
using SpotMirror.Core.Mood;
using SpotMirror.Testing;

namespace SpotMirror.Chat.Tests;

/// <summary>More brings the next page of the same request, never repeating a track, and only for the person who asked; /mood alone offers moods as buttons.</summary>
public sealed class PagingTests : IAsyncLifetime
{
    private ChatHarness _h = null!;

    public async Task InitializeAsync() => _h = await ChatHarness.StartAsync(new ChatOptions { RecentlyShownWindow = 0 });

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    private static string MoreOf(Reply reply) => Assert.Single(reply.Buttons, b => b.Action.StartsWith("more", StringComparison.Ordinal)).Action;

    [Theory]
    [InlineData("/popular 3")]
    [InlineData("/recommend 3")]
    [InlineData("/mood chill 2")]
    [InlineData("/similar Daft Punk 2")]
    public async Task Pressing_more_again_and_again_never_shows_a_track_twice(string request)
    {
        var first = (await _h.SayAsync("Ana", request))!;
        var seen = first.Tracks.Select(t => t.TrackId).ToList();
        var pages = 1;

        for (var press = 0; press < 3; press++)
        {
            var next = (await _h.PressActionAsync("Ana", MoreOf(_h.LastList!)))!;
            if (!next.AcceptsFeedback) break;
            pages++;
            Assert.Contains($"(page {pages})", next.Title, StringComparison.Ordinal);
            seen.AddRange(next.Tracks.Select(t => t.TrackId));
        }

        Assert.True(pages >= 2, $"{request} gave only one page");
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task More_on_an_earlier_page_still_brings_only_unseen_tracks()
    {
        var first = (await _h.SayAsync("Ana", "/popular 3"))!;
        var firstId = _h.LastMessageId!;
        var second = (await _h.PressActionAsync("Ana", MoreOf(first)))!;

        var third = (await _h.PressActionAsync("Ana", MoreOf(first), firstId))!;

        Assert.Contains("(page 3)", third.Title, StringComparison.Ordinal);
        Assert.Empty(third.Tracks.Select(t => t.TrackId).Intersect(first.Tracks.Concat(second.Tracks).Select(t => t.TrackId)));
    }

    [Fact]
    public async Task Someone_else_pressing_more_gets_a_polite_no_and_no_page()
    {
        var list = (await _h.SayAsync("Ana", "/popular 3"))!;
        var listId = _h.LastMessageId;

        var answer = (await _h.PressActionAsync("Ben", MoreOf(list)))!;

        Assert.Equal(ReplyKind.Problem, answer.Kind);
        Assert.Contains("only the person who asked", answer.Title, StringComparison.Ordinal);
        Assert.Equal(listId, _h.LastMessageId);
        Assert.True(ReplyActions.IsSomeoneElsesMore(MoreOf(list), "ben"));
        Assert.False(ReplyActions.IsSomeoneElsesMore(MoreOf(list), "ana"));
    }

    [Fact]
    public async Task More_under_a_message_that_is_no_list_says_so()
    {
        var answer = (await _h.PressActionAsync("Ana", ReplyActions.More("ana"), messageId: "never-sent"))!;

        Assert.Equal(ReplyKind.Problem, answer.Kind);
    }

    [Fact]
    public async Task Mood_alone_offers_every_named_mood_as_a_button_and_a_press_runs_it_for_the_presser()
    {
        var picker = (await _h.SayAsync("Ana", "/mood"))!;

        Assert.Equal(ReplyKind.Info, picker.Kind);
        Assert.Equal(NamedMood.Defaults.Select(m => $"mood:{m.Name}"), picker.Buttons.Select(b => b.Action));
        Assert.All(picker.Buttons, b => Assert.True(ReplyActions.Fits(b.Action)));

        var list = (await _h.PressActionAsync("Ben", "mood:chill", messageId: "picker-1"))!;

        Assert.Equal(ReplyKind.Tracks, list.Kind);
        Assert.StartsWith("Chill", list.Title, StringComparison.Ordinal);
        Assert.Equal(await _h.UserIdAsync("Ben"), list.RequestedBy);
        Assert.Equal("more:ben", MoreOf(list));
    }

    [Fact]
    public async Task Every_track_of_a_list_carries_its_page_and_search_links()
    {
        var list = (await _h.SayAsync("Ana", "/popular 3"))!;

        Assert.All(list.Tracks, t =>
        {
            Assert.Equal(ListenLinker.Known, t.Links.Select(l => l.Service));
            Assert.Equal(ListenLinker.LastFmTrackUrl(t.Artist, t.Title), t.Page!.Url);
            Assert.Equal("spotify", t.Play!.Service);
        });
    }
}
