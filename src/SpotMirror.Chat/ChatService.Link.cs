using SpotMirror.Core.Ports;

namespace SpotMirror.Chat;

/// <summary>/link and /unlink, over Core's account-linking port (the host wires Last.fm to it).</summary>
public sealed partial class ChatService
{
    /// <summary>
    /// The slow, network part of an event, done before the adapter opens its batch transaction (which holds
    /// the database's write lock): today that is fetching a /link account's taste. Never throws; whatever
    /// fails here is tried again, and reported, by HandleAsync.
    /// </summary>
    public async Task PrepareAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        if (accountLinker is null || chatEvent is not CommandInvoked invoked || CommandParser.Parse(invoked.Text) is not LinkCommand { Account: not null } link) return;
        try
        {
            await accountLinker.PrefetchAsync(link.Service, link.Account!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPrepareFailed(logger, exception, invoked.EventId);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Preparing event {EventId} failed; it is handled without")]
    private static partial void LogPrepareFailed(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string eventId);

    private async Task<Reply> AccountAsync(IUnitOfWork unit, long userId, AccountCommand command, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (accountLinker is null || accountLinker.Services.Count == 0)
        {
            return Reply.Problem("Linking accounts isn't available here: this SpotMirror has no service to link to.");
        }
        return command switch
        {
            LinkCommand link when accountLinker.Services.FirstOrDefault(s => s.IsNamed(link.Service)) is { ThroughWeb: true } service => ThroughWeb(userId, service),
            LinkCommand { Account: null } link => Reply.Problem($"Which {Truncate(link.Service)} user? For example /link {Truncate(link.Service)} USERNAME."),
            LinkCommand link => LinkReply(link, await accountLinker.LinkAsync(unit, userId, link.Service, link.Account!, at, cancellationToken).ConfigureAwait(false)),
            UnlinkCommand unlink => UnlinkReply(unlink, await accountLinker.UnlinkAsync(unit, userId, unlink.Service, at, cancellationToken).ConfigureAwait(false)),
            _ => Help(),
        };
    }

    /// <summary>
    /// A service a person authorizes on its own page: a private one-time sign-in link that leads on to the web
    /// app's page for it (minted as the reply is sent, like /web's, so it never sits in the outbox or a log).
    /// </summary>
    private Reply ThroughWeb(long userId, LinkableService service)
    {
        if (webLinks is null)
        {
            return Reply.Problem($"Linking {service.DisplayName} goes through the web app, which doesn't run alongside this chat (it comes with the HTTP API).");
        }
        return Reply.Info(
            $"To link {service.DisplayName}, open this link: it signs you in to the SpotMirror web app and takes you to {service.DisplayName}, where you say yes.",
            $"It works once, for the next {webLinks.Lifetime.TotalMinutes:0} minutes, and signs in as you: don't share it.",
            $"Your top and saved tracks there become a first guess at your taste; /unlink {service.Id} takes them back.")
            with { SignInFor = userId, SignInNext = "/web/link/" + Uri.EscapeDataString(service.Id), Private = true };
    }

    private Reply LinkReply(LinkCommand command, LinkResult result)
    {
        var name = result.Service?.DisplayName ?? "";
        var account = Truncate(result.Account);
        return result.Status switch
        {
            LinkStatus.Linked => Reply.Info(
                $"Linked {name} user {account}: {result.Imported} track(s) imported as a first guess at your taste ({result.TopTracks} top, {result.LovedTracks} loved).",
                "They count for less than your reactions here. Try /recommend; /unlink takes them back."),
            LinkStatus.UnknownService => Reply.Problem(
                $"I can't link {Truncate(command.Service)} accounts; I can link {string.Join(" or ", accountLinker!.Services.Select(s => s.Id))}.", LinkCommands.Usage),
            LinkStatus.NotConfigured => result.Detail is { } detail
                ? Reply.Problem($"Linking {name} isn't set up on this SpotMirror yet.", detail)
                : Reply.Problem($"Linking {name} isn't set up on this SpotMirror yet."),
            LinkStatus.AccountNotFound => Reply.Problem($"{name} has no user called \"{account}\". Check the spelling and try again."),
            LinkStatus.NothingToImport => Reply.Info($"{name} user {account} has no top or loved tracks yet, so there is nothing to import.", "React to a few lists here and I'll learn from that."),
            _ => Reply.Problem($"{name} isn't answering properly right now, so nothing was imported. Please try again in a few minutes."),
        };
    }

    private static Reply UnlinkReply(UnlinkCommand command, IReadOnlyList<LinkedAccount> removed)
    {
        if (removed.Count == 0)
        {
            return Reply.Info(command.Service is null ? "You have no linked account." : $"You have no linked {command.Service} account.", LinkCommands.Usage);
        }
        var lines = removed.Select(l => $"Unlinked {l.Service.DisplayName} user {l.Account}: its {l.Imported} imported track(s) no longer count.").ToList();
        lines.Add("Your reactions here stay as they were.");
        return Reply.Info("Done.", lines);
    }
}
