using System.Collections.Concurrent;
using SpotMirror.Testing;
using SpotMirror.Testing.Discord;
using SpotMirror.Testing.Telegram;

namespace SpotMirror.Worker.Tests.Discord;

/// <summary>Telegram and Discord in one host, over one database: each answers, and neither stops the other.</summary>
public sealed class BothBotsTests
{
    private static readonly TimeSpan Patience = DiscordBotProcess.Patience;

    [Fact]
    public async Task One_process_answers_on_telegram_and_on_discord()
    {
        using var db = new TempDatabase();
        await using var telegram = await FakeTelegramServer.StartAsync();
        await using var discord = await FakeDiscordServer.StartAsync();
        using var process = SpotMirrorProcess.Start(["run", "--db", db.Path], new Dictionary<string, string?>
        {
            ["Telegram__Token"] = telegram.Token,
            ["Telegram__BaseUrl"] = telegram.BaseUrl,
            ["Telegram__PollTimeoutSeconds"] = "2",
            ["Discord__Token"] = discord.Token,
            ["Discord__ApiBaseUrl"] = discord.ApiBaseUrl,
            ["Http__Enabled"] = "false",
        });
        // Kept for the failure message: a loaded machine has made this test time out without a word once.
        var log = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) log.Enqueue(line); };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) log.Enqueue(line); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await discord.WaitForIdentifyAsync(Patience);
            var sent = telegram.SendText(42, "private", 7, "Ana", "/mood chill 2");
            var interaction = discord.SlashCommand("mood", [CommandOption.OfString("mood", "happy"), CommandOption.OfInteger("count", 2)]);

            await telegram.WaitForMessageAsync(m => m.ReplyToMessageId == telegram.MessageIdOf(sent), Patience);
            await discord.WaitForMessageAsync(m => m.InteractionId == interaction.Id && m.Action == DiscordMessageAction.Edited, Patience);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message}\nThe process said:\n{string.Join('\n', log)}", exception);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
