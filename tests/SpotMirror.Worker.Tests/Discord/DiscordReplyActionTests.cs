using System.Text.Json.Nodes;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Worker.Tests.Discord;

/// <summary>
/// The real process against the fake Discord: More pages for the asker only (others get an ephemeral note),
/// the mood picker runs a mood for whoever clicks, and /similar autocompletes from the catalogue in the window.
/// </summary>
public sealed class DiscordReplyActionTests : IAsyncLifetime
{
    private const string OtherUserId = "1300000000000000077";
    private static readonly TimeSpan Patience = DiscordBotProcess.Patience;
    private DiscordBotProcess _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await DiscordBotProcess.StartAsync();
        await _bot.Fake.WaitForIdentifyAsync(Patience);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private FakeDiscordServer Fake => _bot.Fake;

    private string Channel => Fake.Options.GuildChannelId;

    private DiscordPlace Other => Fake.InGuild with { UserId = OtherUserId, Username = "bo" };

    private static List<string> CustomIds(SentDiscordMessage message) =>
        message.Components.SelectMany(row => row!["components"]!.AsArray())
            .Select(c => (string?)c!["custom_id"])
            .OfType<string>()
            .ToList();

    private Task<SentDiscordMessage> AnswerToAsync(ScriptedInteraction interaction) =>
        Fake.WaitForMessageAsync(m => m.InteractionId == interaction.Id && m.Action == DiscordMessageAction.Edited && !m.IsLoading, Patience);

    private Task<long> RequestedByAsync(SentDiscordMessage message, string userId) =>
        _bot.CountAsync(
            """
            SELECT COUNT(*) FROM sent_messages s JOIN users u ON u.id = s.requested_by
            WHERE s.platform = 'discord' AND s.chat_id = @channel AND s.message_id = @message AND u.platform_user_id = @userId
            """, new { channel = message.ChannelId, message = message.Id, userId });

    private async Task<(SentDiscordMessage Message, IReadOnlyList<long> Tracks)> MoodAsync(int count)
    {
        var interaction = Fake.SlashCommand("mood", [CommandOption.OfString("mood", "chill"), CommandOption.OfInteger("count", count)]);
        var message = await Fake.WaitForMessageAsync(m => m.InteractionId == interaction.Id && m.Action == DiscordMessageAction.Edited && m.Embeds.Count > 0, Patience);
        return (message, await _bot.WaitForLedgerAsync(Channel, message.Id));
    }

    [Fact]
    public async Task More_clicked_by_the_asker_brings_a_second_list_with_no_track_of_the_first()
    {
        var (first, firstTracks) = await MoodAsync(4);
        var more = $"more:{Fake.Options.UserId}";
        Assert.Contains(more, CustomIds(first));

        var click = Fake.ButtonClick(first.Id, more);
        var second = await Fake.WaitForMessageAsync(m => m.InteractionId == click.Id && m.Action == DiscordMessageAction.Edited && m.Embeds.Count > 0, Patience);
        var secondTracks = await _bot.WaitForLedgerAsync(Channel, second.Id);

        Assert.False(second.IsEphemeral);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(4, secondTracks.Count);
        Assert.Empty(secondTracks.Intersect(firstTracks));
        Assert.Contains("(page 2)", second.Embeds.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, await RequestedByAsync(second, Fake.Options.UserId));
        Assert.Contains(more, CustomIds(second));
    }

    [Fact]
    public async Task More_clicked_by_someone_else_gets_an_ephemeral_note_and_no_list()
    {
        var (first, _) = await MoodAsync(3);
        var listsBefore = await _bot.CountAsync("SELECT COUNT(*) FROM sent_messages");

        var click = Fake.ButtonClick(first.Id, $"more:{Fake.Options.UserId}", Other);
        var note = await AnswerToAsync(click);

        var defer = Fake.Callbacks.First(c => c.InteractionId == click.Id);
        Assert.Equal(5, defer.Type);
        Assert.Equal(64, (int?)defer.Data?["flags"]);
        Assert.True(note.IsEphemeral);
        Assert.Contains("only the person who asked", note.Content, StringComparison.Ordinal);
        Assert.Empty(note.Embeds);
        await _bot.WaitForCountAsync("SELECT COUNT(*) FROM outbox WHERE event_id = @id AND state = 'sent'", 1, new { id = $"dc:ix:{click.Id}" });
        Assert.Equal(listsBefore, await _bot.CountAsync("SELECT COUNT(*) FROM sent_messages"));
    }

    [Fact]
    public async Task A_mood_picker_click_answers_the_clicker_with_that_moods_list()
    {
        var ask = Fake.SlashCommand("mood");
        var picker = await AnswerToAsync(ask);
        var codes = CustomIds(picker);
        Assert.Contains("mood:chill", codes);
        Assert.All(codes, code => Assert.StartsWith("mood:", code, StringComparison.Ordinal));

        var click = Fake.ButtonClick(picker.Id, "mood:chill", Other);
        var list = await Fake.WaitForMessageAsync(m => m.InteractionId == click.Id && m.Action == DiscordMessageAction.Edited && m.Embeds.Count > 0, Patience);
        var tracks = await _bot.WaitForLedgerAsync(Channel, list.Id);

        Assert.False(list.IsEphemeral);
        Assert.NotEmpty(tracks);
        Assert.Contains("Chill for you", list.Embeds.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, await RequestedByAsync(list, OtherUserId));
        Assert.Contains($"more:{OtherUserId}", CustomIds(list));
    }

    [Fact]
    public async Task Similar_autocomplete_is_answered_in_the_window_with_at_most_25_catalogue_names()
    {
        var typing = Fake.Autocomplete("similar", [CommandOption.OfString("track", "nightc", focused: true)]);
        var callback = await Fake.WaitForCallbackAsync(typing.Id, Patience);

        // The fake refuses a callback after Discord's 3 s window, so accepted means in time.
        Assert.True(callback.Accepted, $"status {callback.Status}, error {callback.ErrorCode}; log:\n{_bot.Log}");
        Assert.Equal(8, callback.Type);
        var choices = callback.Data!["choices"]!.AsArray().Select(c => (string)c!["name"]!).ToList();
        Assert.InRange(choices.Count, 1, 25);
        Assert.Contains("Nightcall - Kavinsky", choices);
        var catalogue = (await _bot.ListAsync<string>(
            "SELECT t.title || ' - ' || a.name FROM tracks t JOIN artists a ON a.id = t.artist_id UNION SELECT name FROM artists")).ToHashSet(StringComparer.Ordinal);
        Assert.All(choices, name => Assert.Contains(name, catalogue));
        Assert.Equal(0, await _bot.CountAsync("SELECT COUNT(*) FROM outbox"));
    }
}
