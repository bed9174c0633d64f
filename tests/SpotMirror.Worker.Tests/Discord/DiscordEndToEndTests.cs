using Microsoft.Data.Sqlite;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Worker.Tests.Discord;

/// <summary>
/// The real process with Discord:Token set, against the fake Discord: slash commands answered inside the
/// window and recorded in the ledger, reactions and buttons in the preference table, removal undone,
/// and a kill between an event and its commit that loses and doubles nothing.
/// </summary>
public sealed class DiscordEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = DiscordBotProcess.Patience;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private DiscordBotProcess _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await DiscordBotProcess.StartAsync();
        await _bot.Fake.WaitForIdentifyAsync(Patience);
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private FakeDiscordServer Fake => _bot.Fake;

    private string Channel => Fake.Options.GuildChannelId;

    /// <summary>/mood chill N, answered: the edited original message and its tracks from the ledger.</summary>
    private async Task<(SentDiscordMessage Message, IReadOnlyList<long> Tracks)> MoodAsync(int count)
    {
        var interaction = Fake.SlashCommand("mood", [CommandOption.OfString("mood", "chill"), CommandOption.OfInteger("count", count)]);
        var message = await Fake.WaitForMessageAsync(m => m.InteractionId == interaction.Id && m.Action == DiscordMessageAction.Edited && m.Embeds.Count > 0, Patience);
        return (message, await _bot.WaitForLedgerAsync(Channel, message.Id));
    }

    [Fact]
    public async Task A_slash_command_is_deferred_at_once_then_answered_with_an_embed_buttons_and_seed_reactions()
    {
        var (message, tracks) = await MoodAsync(3);

        var callback = Fake.Callbacks.First(c => c.InteractionId == message.InteractionId);
        Assert.Equal(5, callback.Type);
        Assert.True(callback.Accepted);
        Assert.Equal(3, tracks.Count);
        Assert.Contains("1.", (string)message.Embeds[0]!["description"]!, StringComparison.Ordinal);
        // Two rows of 👍/👎 for three tracks, then a row of ▶ link buttons (checked by the fake as Discord does) and More.
        Assert.Equal(3, message.Components.Count);
        var tail = message.Components[2]!["components"]!.AsArray();
        Assert.Equal(["▶ 1", "▶ 2", "▶ 3", "More ▸"], tail.Select(b => (string)b!["label"]!));
        Assert.All(tail.Take(3), b => Assert.StartsWith("https://open.spotify.com/search/", (string)b!["url"]!, StringComparison.Ordinal));
        await Fake.WaitForReactionAsync(r => r.MessageId == message.Id && r.Emoji == "👎", Patience);
        Assert.Single(Fake.CommandRegistrations);
    }

    [Fact]
    public async Task A_reaction_reaches_the_preference_table_and_removing_it_takes_it_back_and_our_own_seeds_count_for_nobody()
    {
        var (message, tracks) = await MoodAsync(3);
        await Fake.WaitForReactionAsync(r => r.MessageId == message.Id && r.Emoji == "👎", Patience);

        Fake.ReactionAdd(message.Id, DiscordEmoji.Unicode("🔥"));
        await _bot.WaitForCountAsync("SELECT COUNT(*) FROM preferences", 3);
        Assert.Equal(0.35, await _bot.ScoreAsync(Fake.Options.UserId, tracks[0]) ?? 0, 6);

        Fake.ReactionRemove(message.Id, DiscordEmoji.Unicode("🔥"));
        await _bot.WaitForCountAsync("SELECT COUNT(*) FROM preferences", 0);
    }

    [Fact]
    public async Task Profile_after_a_reaction_answers_with_the_taste_picture_as_a_png_attachment_in_its_embed()
    {
        var (message, _) = await MoodAsync(3);
        var click = Fake.ButtonClick(message.Id, "fb:u:1");
        await Fake.WaitForMessageAsync(m => m.InteractionId == click.Id && m.Action == DiscordMessageAction.Edited, Patience);

        var profile = Fake.SlashCommand("profile");
        var answer = await Fake.WaitForMessageAsync(m => m.InteractionId == profile.Id && m.Action == DiscordMessageAction.Edited, Patience);
        var upload = await Fake.WaitForUploadAsync(u => u.Route == DiscordRoutes.EditOriginal && u.Status == 200, Patience);

        Assert.StartsWith("Your taste", answer.Content, StringComparison.Ordinal);
        var file = Assert.Single(upload.Files);
        Assert.Equal(("files[0]", "taste.png"), (file.FieldName, file.FileName));
        Assert.Equal(PngSignature, file.Bytes.Take(8));
        Assert.True(file.Bytes.Count > 10_000, $"a rendered picture, not a placeholder ({file.Bytes.Count} bytes)");
        var payload = System.Text.Json.Nodes.JsonNode.Parse(upload.PayloadJson)!;
        Assert.Equal("attachment://taste.png", (string?)payload["embeds"]![0]!["image"]!["url"]);
        var stored = Assert.Single(answer.Message["attachments"]!.AsArray());
        Assert.Equal("taste.png", (string?)stored!["filename"]);
        Assert.Equal((string?)stored["url"], (string?)answer.Embeds[0]!["image"]!["url"]);
    }

    [Fact]
    public async Task A_list_answer_uploads_no_file()
    {
        await MoodAsync(3);

        Assert.Empty(Fake.Uploads);
    }

    [Fact]
    public async Task A_button_gets_an_ephemeral_receipt_and_counts_fully_for_its_track()
    {
        var (message, tracks) = await MoodAsync(3);

        var click = Fake.ButtonClick(message.Id, "fb:u:2");
        var receipt = await Fake.WaitForMessageAsync(m => m.InteractionId == click.Id && m.Action == DiscordMessageAction.Edited, Patience);

        Assert.True(receipt.IsEphemeral);
        Assert.StartsWith("Noted: more like", receipt.Content, StringComparison.Ordinal);
        Assert.Equal(1.0, await _bot.ScoreAsync(Fake.Options.UserId, tracks[1]));
    }

    [Fact]
    public async Task Custom_and_nameless_emoji_are_ignored_and_a_duplicate_interaction_is_answered_once()
    {
        var (message, _) = await MoodAsync(2);
        Fake.ReactionAdd(message.Id, DiscordEmoji.Custom("partyblob", "1300000000000000999", false));
        Fake.ReactionAdd(message.Id, DiscordEmoji.Nameless("1300000000000000998"));
        var help = Fake.SlashCommand("help");
        Fake.Redispatch(help.Sequence);

        var answer = await Fake.WaitForMessageAsync(m => m.InteractionId == help.Id && m.Action == DiscordMessageAction.Edited, Patience);

        Assert.Contains("SpotMirror", answer.Content, StringComparison.Ordinal);
        await _bot.WaitForCountAsync("SELECT COUNT(*) FROM outbox WHERE event_id = @id AND state = 'sent'", 1, new { id = $"dc:ix:{help.Id}" });
        Assert.Equal(0, await _bot.CountAsync("SELECT COUNT(*) FROM preferences"));
        Assert.False(_bot.HasExited);
    }

    [Fact]
    public async Task A_process_killed_between_an_event_and_its_commit_resumes_and_applies_it_exactly_once()
    {
        var (message, tracks) = await MoodAsync(3);

        await using (var blocker = new SqliteConnection($"Data Source={_bot.DatabasePath}"))
        {
            await blocker.OpenAsync();
            await using (var hold = blocker.CreateCommand())
            {
                hold.CommandText = "BEGIN IMMEDIATE";
                await hold.ExecuteNonQueryAsync();
            }

            var sequence = Fake.ReactionAdd(message.Id, DiscordEmoji.Unicode("🔥"));
            // The client has the event once its heartbeat reports that sequence.
            await Fake.WaitForHeartbeatAsync(b => b.Sequence >= sequence, Patience);
            await _bot.KillAsync();

            await using var release = blocker.CreateCommand();
            release.CommandText = "ROLLBACK";
            await release.ExecuteNonQueryAsync();
        }

        _bot.Restart();
        await Fake.WaitForResumeAsync(Patience);
        await _bot.WaitForCountAsync("SELECT COUNT(*) FROM preferences", 3);

        Assert.Equal(0.35, await _bot.ScoreAsync(Fake.Options.UserId, tracks[0]) ?? 0, 6);
        // 🔥 means like, so it is stored under the like's key (one meaning, one key).
        Assert.Equal(1, await _bot.CountAsync("SELECT COUNT(*) FROM feedback_events WHERE emoji = '👍'"));
        Assert.Single(Fake.Identifies);
    }
}
