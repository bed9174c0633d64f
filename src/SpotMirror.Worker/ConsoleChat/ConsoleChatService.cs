using System.Globalization;
using Microsoft.Extensions.Hosting;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Service;

namespace SpotMirror.Worker.ConsoleChat;

/// <summary>
/// Who speaks at first in the console chat, and what the end of input means: the chat verb stops there;
/// run (KeepServing) goes on serving the HTTP API until it is stopped, as a service started with no
/// terminal (systemd, nohup, a container without -i, run &lt; /dev/null) must.
/// </summary>
public sealed record ConsoleChatSettings(string UserName, TextReader Input, TextWriter Output, bool Interactive, bool KeepServing = false);

/// <summary>
/// The local console chat: one line at a time from standard input through the same Chat layer as the
/// bots. With input redirected it prints no prompt and no colour, so it can be scripted; end of input
/// stops the host with exit code 0, unless the host is to keep serving.
/// </summary>
public sealed class ConsoleChatService(
    ChatService chat,
    ITransactions transactions,
    ConsoleChatSettings settings,
    TimeProvider clock,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    public const string Platform = "console";
    private const string ChatId = "console";
    private readonly string _session = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
    private int _messages;
    private string _user = Core.Ports.PrintableText.Clean(settings.UserName);
    private string? _lastListId;
    private Reply? _lastList;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (settings.Interactive)
            {
                await WriteAsync("SpotMirror console chat. /help for commands, :as NAME to switch user, Ctrl+D to leave.", ConsoleColor.DarkGray).ConfigureAwait(false);
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                if (settings.Interactive) await settings.Output.WriteAsync($"{_user}> ").ConfigureAwait(false);
                var line = await ReadLineAsync(stoppingToken).ConfigureAwait(false);
                if (line is null) break;
                await CloseDueGroupsAsync(stoppingToken).ConfigureAwait(false);
                // A stop while a line is in hand finishes it: its feedback is committed, not rolled back.
                using var inHand = new BatchInHand(stoppingToken);
                await HandleLineAsync(line, inHand.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Ctrl+C or host shutdown: leave quietly.
        }
        finally
        {
            await settings.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            if (!settings.KeepServing || stoppingToken.IsCancellationRequested) lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Standard input's "async" read blocks its caller in the OS and never looks at the token, so the read
    /// starts on a thread of its own and only the wait for it is cancelled: a stop request (SIGTERM) ends the
    /// chat at once, while the abandoned read ends with the process, which is stopping anyway. A reader that
    /// is really asynchronous leaves that thread at its first await.
    /// </summary>
    private Task<string?> ReadLineAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => settings.Input.ReadLineAsync(stoppingToken).AsTask(), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            .Unwrap()
            .WaitAsync(stoppingToken);

    private async Task HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        switch (ConsoleLine.Parse(line))
        {
            case ConsoleLine.Blank:
                return;
            case ConsoleLine.Invalid invalid:
                await WriteAsync(invalid.Message, ConsoleColor.Yellow).ConfigureAwait(false);
                return;
            case ConsoleLine.SwitchUser switchUser:
                _user = switchUser.Name;
                await WriteAsync($"(now speaking as {_user})", ConsoleColor.DarkGray).ConfigureAwait(false);
                return;
            case ConsoleLine.React react:
                if (_lastListId is null)
                {
                    await WriteAsync("There's no list to react to yet: ask for one first, e.g. /mood chill (or open a group with /group).", ConsoleColor.Yellow).ConfigureAwait(false);
                    return;
                }
                var reaction = new ReactionChanged(NewEventId(), Platform, ChatId, Speaker(), clock.GetUtcNow(), _lastListId, react.Emoji, react.Item, react.Added);
                var receipt = await transactions.RunAsync((unit, ct) => chat.HandleAsync(reaction, unit, ct), cancellationToken).ConfigureAwait(false);
                await RenderAsync(receipt ?? Reply.Receipt(react.Added ? "(that reaction changes nothing)" : "(there was no such reaction to take back)")).ConfigureAwait(false);
                return;
            case ConsoleLine.More:
                if (_lastListId is null || _lastList is null)
                {
                    await WriteAsync("There's no list to page yet: ask for one first, e.g. /mood chill.", ConsoleColor.Yellow).ConfigureAwait(false);
                    return;
                }
                var more = new ActionPressed(NewEventId(), Platform, ChatId, Speaker(), clock.GetUtcNow(), _lastListId, ReplyActions.More(_user));
                var page = await transactions.RunAsync((unit, ct) => chat.HandleAsync(more, unit, ct), cancellationToken).ConfigureAwait(false);
                if (page is not null) await SendAsync(page, cancellationToken).ConfigureAwait(false);
                return;
            case ConsoleLine.Links links:
                await WriteLinksAsync(links.Item).ConfigureAwait(false);
                return;
            case ConsoleLine.Command command:
                var invoked = new CommandInvoked(NewEventId(), Platform, ChatId, Speaker(), clock.GetUtcNow(), command.Text);
                var reply = await transactions.RunAsync((unit, ct) => chat.HandleAsync(invoked, unit, ct), cancellationToken).ConfigureAwait(false);
                if (reply is null) return;
                await SendAsync(reply, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>
    /// Shows a reply; a list (or a group lobby) becomes "the last message", which :react and :unreact
    /// point at, and is recorded as the platforms record what they send.
    /// </summary>
    private async Task SendAsync(Reply reply, CancellationToken cancellationToken)
    {
        if (reply.AcceptsFeedback || reply.Kind == ReplyKind.Lobby)
        {
            var messageId = $"{_session}-{Interlocked.Increment(ref _messages)}";
            await transactions.RunAsync(async (unit, ct) =>
            {
                await chat.RecordSentAsync(unit, Platform, ChatId, messageId, reply, ct).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            _lastListId = messageId;
            _lastList = reply.AcceptsFeedback ? reply : null;
        }
        // The console is a private chat: a sign-in link is minted now and shown here.
        await RenderAsync(await chat.CompleteAsync(reply, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        if (await chat.PictureAsync(reply, cancellationToken).ConfigureAwait(false) is { } png)
        {
            // One file per speaker, replaced each time, so the same profile prints the same line.
            var safe = new string([.. _user.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
            var path = Path.Combine(Path.GetTempPath(), "spotmirror", $"taste-{safe}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, png, cancellationToken).ConfigureAwait(false);
            await WriteAsync($"Your taste picture: {path}", null).ConfigureAwait(false);
        }
    }

    /// <summary>The console keeps lobby time between lines: a lobby whose minute is up becomes its playlist.</summary>
    private async Task CloseDueGroupsAsync(CancellationToken cancellationToken)
    {
        var made = await transactions.RunAsync((unit, ct) => chat.CloseDueGroupsAsync(unit, Platform, ct), cancellationToken).ConfigureAwait(false);
        foreach (var (_, playlist) in made)
        {
            await SendAsync(playlist, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>":links N": one line per link of track N of the last list, so a list's own lines stay as they are.</summary>
    private async Task WriteLinksAsync(int item)
    {
        if (_lastList is null)
        {
            await WriteAsync("There's no list yet: ask for one first, e.g. /mood chill.", ConsoleColor.Yellow).ConfigureAwait(false);
            return;
        }
        if (item > _lastList.Tracks.Count)
        {
            await WriteAsync($"My last list has tracks 1 to {_lastList.Tracks.Count}; there is no track {item}.", ConsoleColor.Yellow).ConfigureAwait(false);
            return;
        }
        var track = _lastList.Tracks[item - 1];
        await WriteAsync($"{track.Number}. {track.Title} - {track.Artist}", ConsoleColor.Cyan).ConfigureAwait(false);
        foreach (var link in track.Links) await WriteAsync($"{link.Label}: {link.Url}", null).ConfigureAwait(false);
    }

    private ChatUser Speaker() => new(Platform, _user, _user);

    private static string NewEventId() => $"console:{Guid.NewGuid():N}";

    private async Task RenderAsync(Reply reply)
    {
        var color = reply.Kind switch
        {
            ReplyKind.Problem => ConsoleColor.Yellow,
            ReplyKind.Receipt => ConsoleColor.Green,
            _ => ConsoleColor.Cyan,
        };
        var first = true;
        foreach (var line in reply.ToPlainLines())
        {
            await WriteAsync(line, first ? color : null).ConfigureAwait(false);
            first = false;
        }
    }

    private async Task WriteAsync(string text, ConsoleColor? color)
    {
        if (settings.Interactive && color is { } c) Console.ForegroundColor = c;
        await settings.Output.WriteLineAsync(text).ConfigureAwait(false);
        if (settings.Interactive && color is not null) Console.ResetColor();
        await settings.Output.FlushAsync().ConfigureAwait(false);
    }
}
