using System.Text.RegularExpressions;
using SpotMirror.Chat;
using SpotMirror.Testing;

namespace SpotMirror.Chat.Tests;

/// <summary>/group: the lobby, going, the reply's privacy, group-weighted feedback and the carry-over of satisfaction.</summary>
public sealed partial class GroupTests : IAsyncLifetime
{
    private ChatHarness _h = null!;

    public async Task InitializeAsync() => _h = await ChatHarness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Gives a member a taste: a mood list and a love on one of its tracks.</summary>
    private async Task TasteAsync(string user, string mood)
    {
        await _h.SayAsync(user, $"/mood {mood} 3");
        await _h.ReactAsync(user, "❤️", item: 1);
    }

    private async Task<string> OpenLobbyAsync(string user, string text = "/group chill 5")
    {
        var lobby = await _h.SayAsync(user, text);
        Assert.Equal(ReplyKind.Lobby, lobby!.Kind);
        return _h.LastMessageId!;
    }

    [Fact]
    public async Task A_lobby_names_who_is_in_and_people_join_with_headphones()
    {
        var lobby = await _h.SayAsync("Ana", "/group chill");
        var lobbyId = _h.LastMessageId!;

        Assert.Equal(ReplyKind.Lobby, lobby!.Kind);
        Assert.Contains("In so far: Ana.", lobby.Lines);
        Assert.Equal("Ben is in: 2 so far.", (await _h.ReactAsync("Ben", "🎧", messageId: lobbyId))!.Title);
        Assert.Equal("Cleo is in: 3 so far.", (await _h.ReactAsync("Cleo", "🎧", messageId: lobbyId))!.Title);
    }

    [Fact]
    public async Task A_name_with_terminal_escapes_and_a_bidi_override_is_shown_clean_in_the_lobby()
    {
        var lobby = await _h.SayAsync("\u001B[31mAna\u202E", "/group chill");
        var joined = await _h.ReactAsync("\u2067Ben\u001B[0m", "🎧", messageId: _h.LastMessageId);

        var shown = string.Join("\n", lobby!.ToPlainLines().Append(joined!.Title));
        Assert.Contains("In so far: Ana.", lobby.Lines);
        Assert.Equal("Ben is in: 2 so far.", joined.Title);
        Assert.DoesNotContain(shown, c => c == '\u001B' || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');
    }

    [Fact]
    public async Task Taking_the_headphones_off_leaves_the_lobby_and_the_playlist_is_made_without_them()
    {
        var lobbyId = await OpenLobbyAsync("Ana");
        await _h.ReactAsync("Ben", "🎧", messageId: lobbyId);
        await _h.ReactAsync("Cleo", "🎧", messageId: lobbyId);

        var left = await _h.ReactAsync("Cleo", "🎧", added: false, messageId: lobbyId);
        var playlist = await _h.SayAsync("Ana", "/group go");

        Assert.Equal("Cleo is out: 2 left.", left!.Title);
        Assert.StartsWith("🎧 Group playlist (chill) for Ana and Ben:", playlist!.Title, StringComparison.Ordinal);
        Assert.DoesNotContain(playlist.Lines, l => l.Contains("Cleo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_join_button_toggles_membership()
    {
        var lobbyId = await OpenLobbyAsync("Ana");

        var joined = await _h.PressAsync("Ben", "🎧", 0, messageId: lobbyId);
        var left = await _h.PressAsync("Ben", "🎧", 0, messageId: lobbyId);

        Assert.Equal("Ben is in: 2 so far.", joined!.Title);
        Assert.Equal("Ben is out: 1 left.", left!.Title);
    }

    [Fact]
    public async Task A_lobby_of_one_still_makes_a_personal_list()
    {
        await TasteAsync("Ana", "chill");
        await OpenLobbyAsync("Ana", "/group chill 4");

        var playlist = await _h.SayAsync("Ana", "/group go");

        Assert.Equal(ReplyKind.Tracks, playlist!.Kind);
        Assert.Equal(4, playlist.Tracks.Count);
        Assert.All(playlist.Tracks, t => Assert.Equal("for Ana", t.Reason));
        Assert.Contains("How well it suits each of you: Ana 100%.", playlist.Lines);
    }

    [Fact]
    public async Task Whoever_says_go_counts_even_without_joining()
    {
        await OpenLobbyAsync("Ana");

        var playlist = await _h.SayAsync("Ben", "/group go");

        Assert.StartsWith("🎧 Group playlist (chill) for Ana and Ben:", playlist!.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Go_twice_makes_one_playlist_and_then_says_none_is_gathering()
    {
        await OpenLobbyAsync("Ana");
        var first = await _h.SayAsync("Ana", "/group go");

        var second = await _h.SayAsync("Ana", "/group go");

        Assert.Equal(ReplyKind.Tracks, first!.Kind);
        Assert.Equal(ReplyKind.Problem, second!.Kind);
        Assert.StartsWith("No group playlist is gathering here", second.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_lobby_in_the_same_chat_points_at_the_first()
    {
        var lobbyId = await OpenLobbyAsync("Ana");
        await _h.ReactAsync("Ben", "🎧", messageId: lobbyId);

        var again = await _h.SayAsync("Cleo", "/group party");

        Assert.Equal(ReplyKind.Problem, again!.Kind);
        Assert.Contains("already gathering here (2 in)", again.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headphones_on_a_finished_lobby_say_it_is_made()
    {
        var lobbyId = await OpenLobbyAsync("Ana");
        await _h.SayAsync("Ana", "/group go");

        var late = await _h.ReactAsync("Ben", "🎧", messageId: lobbyId);

        Assert.Equal(ReplyKind.Problem, late!.Kind);
        Assert.Contains("made already", late.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/group chill strategy:blorp", "I don't know the strategy \"blorp\"")]
    [InlineData("/group blorpish", "I don't know the mood \"blorpish\"")]
    [InlineData("/group chill 11", "1 to 10")]
    [InlineData("/group strategy:", "Which strategy?")]
    public async Task Bad_group_requests_say_what_would_work(string text, string expected)
    {
        var reply = await _h.SayAsync("Ana", text);

        Assert.Equal(ReplyKind.Problem, reply!.Kind);
        Assert.Contains(expected, reply.Title + " " + string.Join(" ", reply.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_track_says_whom_it_is_mostly_for_and_no_reply_shows_anyones_ratings()
    {
        await TasteAsync("Ana", "chill");
        await TasteAsync("Ben", "party");
        await TasteAsync("Cleo", "sad");
        var lobbyId = await OpenLobbyAsync("Ana", "/group 6");
        await _h.ReactAsync("Ben", "🎧", messageId: lobbyId);
        await _h.ReactAsync("Cleo", "🎧", messageId: lobbyId);

        var playlist = await _h.SayAsync("Ana", "/group go");

        Assert.Equal(6, playlist!.Tracks.Count);
        Assert.All(playlist.Tracks, t => Assert.Matches(ForWhom(), t.Reason));
        var satisfaction = Assert.Single(playlist.Lines, l => l.StartsWith("How well it suits each of you:", StringComparison.Ordinal));
        Assert.Matches(SatisfactionLine(), satisfaction);
        // Privacy: reasons are names only (checked above); besides each member's share of the whole list, no line
        // of the reply carries a number that could be someone's rating.
        Assert.DoesNotMatch(AnyNumber(), playlist.Title);
        Assert.All(playlist.Lines.Where(l => l != satisfaction), l => Assert.DoesNotMatch(AnyNumber(), l));
    }

    [Fact]
    public async Task A_reaction_on_a_group_playlist_counts_at_the_group_weight()
    {
        await OpenLobbyAsync("Ana");
        await _h.SayAsync("Ana", "/group go");
        var userId = await _h.UserIdAsync("Ana");

        await _h.ReactAsync("Ana", "👍", item: 1);

        var score = Assert.Single(_h.Recommender.Preferences.TasteOf(userId).Scores);
        Assert.Equal(0.5, score.Value, 6);
    }

    [Fact]
    public async Task The_member_who_came_off_worst_last_time_is_served_first_next_time()
    {
        await TasteAsync("Ana", "chill");
        await TasteAsync("Ben", "party");
        var lobbyId = await OpenLobbyAsync("Ana", "/group 5");
        await _h.ReactAsync("Ben", "🎧", messageId: lobbyId);
        var first = await _h.SayAsync("Ana", "/group go");
        var shares = Shares(first!);
        var worst = shares.MinBy(s => s.Value).Key;
        Assert.True(shares.Values.Distinct().Count() > 1, "the two members must differ for this test to say anything");

        lobbyId = await OpenLobbyAsync("Ana", "/group 5");
        await _h.ReactAsync("Ben", "🎧", messageId: lobbyId);
        var second = await _h.SayAsync("Ana", "/group go");

        Assert.Contains($"{worst} came off worst last time, so {worst} is served first.", second!.Lines);
        Assert.Contains(worst, second.Tracks[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lobby_whose_time_is_up_is_made_into_its_playlist_once()
    {
        await OpenLobbyAsync("Ana");
        Assert.Empty(await _h.Db.Alone(unit => _h.Chat.CloseDueGroupsAsync(unit, ChatHarness.Platform, CancellationToken.None)));

        _h.Clock.Advance(TimeSpan.FromSeconds(61));
        var due = await _h.Db.Alone(unit => _h.Chat.CloseDueGroupsAsync(unit, ChatHarness.Platform, CancellationToken.None));

        var (session, playlist) = Assert.Single(due);
        Assert.Equal(ChatHarness.ChatId, session.ChatId);
        Assert.Equal(ReplyKind.Tracks, playlist.Kind);
        Assert.Empty(await _h.Db.Alone(unit => _h.Chat.CloseDueGroupsAsync(unit, ChatHarness.Platform, CancellationToken.None)));
    }

    [Fact]
    public async Task A_named_strategy_is_used_and_the_default_is_fair()
    {
        await TasteAsync("Ana", "chill");
        await OpenLobbyAsync("Ana", "/group chill 5 strategy:average");

        var playlist = await _h.SayAsync("Ana", "/group go");

        Assert.Equal(5, playlist!.Tracks.Count);
        Assert.Equal(Core.Group.GroupStrategy.ProportionalFairness, ChatService.DefaultGroupStrategy);
    }

    private static Dictionary<string, int> Shares(Reply playlist) =>
        ShareOf().Matches(playlist.Lines.Single(l => l.StartsWith("How well", StringComparison.Ordinal)))
            .ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(for everyone|mostly for [A-Z][a-z]+( and [A-Z][a-z]+)?|a pick for the whole group)$")]
    private static partial Regex ForWhom();

    [GeneratedRegex(@"^How well it suits each of you: ([A-Z][a-z]+ \d{1,3}%(, )?)+\.$")]
    private static partial Regex SatisfactionLine();

    [GeneratedRegex(@"([A-Z][a-z]+) (\d{1,3})%")]
    private static partial Regex ShareOf();

    [GeneratedRegex(@"\d")]
    private static partial Regex AnyNumber();
}
