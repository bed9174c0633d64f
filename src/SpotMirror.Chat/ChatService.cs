using Microsoft.Extensions.Logging;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.UseCases;

namespace SpotMirror.Chat;

/// <summary>
/// The platform-neutral conversation: routes each chat event, rate-limits commands per user, calls
/// the core, and returns a Reply for the adapter to render. One error boundary for every handler.
/// </summary>
public sealed partial class ChatService(
    RecommendUseCase recommend,
    ProfileUseCase profiles,
    GroupPlaylistUseCase playlists,
    FeedbackUseCase feedbackUseCase,
    ForgetUseCase forgetUseCase,
    IUserDirectory users,
    IMessageLedger ledger,
    IGroupStore groups,
    ChatOptions options,
    TimeProvider clock,
    ILogger<ChatService> logger,
    IAccountLinker? accountLinker = null,
    IWebSignInLinks? webLinks = null,
    IPersonalRecords? records = null,
    IListPages? pages = null,
    ListenLinker? links = null)
{
    private readonly ListenLinker _links = links ?? ListenLinker.Default;

    private readonly RateLimiter _limiter = new(options, clock);
    private readonly RecentlyShown _recent = new(options.RecentlyShownWindow);

    /// <summary>
    /// Handles one event inside the adapter's unit of work, as one step of it: when handling fails, the event's
    /// own writes (and the memory changes they were to bring) are taken back, and the person gets an apology.
    /// Null when there is nothing to say (an ignored reaction, a user who was already told to slow down).
    /// </summary>
    public async Task<Reply?> HandleAsync(ChatEvent chatEvent, IUnitOfWork unit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chatEvent);
        ArgumentNullException.ThrowIfNull(unit);
        try
        {
            return await unit.StepAsync(ct => chatEvent switch
            {
                CommandInvoked command => OnCommandAsync(command, unit, ct),
                ReactionChanged reaction => OnFeedbackAsync(reaction, reaction.MessageId, reaction.Emoji, reaction.ItemIndex, reaction.Added, toggle: false, null, unit, ct),
                ButtonPressed button => OnFeedbackAsync(button, button.MessageId, button.Emoji, button.ItemIndex, added: true, toggle: true, button.TrackId, unit, ct),
                ActionPressed action => OnActionAsync(action, unit, ct),
                _ => Task.FromResult<Reply?>(null),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            LogHandlerFailed(logger, exception, chatEvent.Platform, chatEvent.EventId);
            // Never "nothing was lost": the store may have refused the write (read-only, full, a forgotten user).
            return Reply.Problem("Something went wrong on my side, sorry: that was not saved. Please try again in a moment.");
        }
    }

    /// <summary>Called by the adapter once a reply is sent, in the unit of work that marks it sent: the ledger learns which tracks the message shows.</summary>
    public async Task RecordSentAsync(IUnitOfWork unit, string platform, string chatId, string messageId, Reply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply is { Kind: ReplyKind.Lobby, GroupSessionId: { } session })
        {
            // The lobby's message is what people react 🎧 on (or whose Join button they press).
            await groups.SetLobbyMessageAsync(unit, session, messageId, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!reply.AcceptsFeedback) return;
        var trackIds = reply.Tracks.Select(t => t.TrackId).ToList();
        await ledger.RecordAsync(
            unit,
            new SentMessage(platform, chatId, messageId, reply.RequestedBy, reply.Context, trackIds, clock.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        if (pages is not null && reply.Request is { } request)
        {
            await pages.RecordAsync(unit, platform, chatId, messageId, request, reply.Chain ?? messageId, reply.Page, cancellationToken).ConfigureAwait(false);
        }
        if (reply.RequestedBy is { } user) unit.OnCommitted(() => _recent.Add(user, trackIds));
    }

    private async Task<Reply?> OnCommandAsync(CommandInvoked invoked, IUnitOfWork unit, CancellationToken cancellationToken)
    {
        var (verdict, retryAfter) = _limiter.Check($"{invoked.Platform}:{invoked.User.PlatformUserId}");
        if (verdict == RateLimiter.Verdict.LimitedSilent) return null;
        if (verdict == RateLimiter.Verdict.LimitedWarn)
        {
            return Reply.Problem($"Easy there, {invoked.User.DisplayName}: that's a lot of requests at once. Give me {retryAfter.TotalSeconds:0} s and ask again.");
        }

        var command = CommandParser.Parse(invoked.Text);
        if (command is InvalidCommand invalid) return Reply.Problem(invalid.Message);
        if (command is HelpCommand) return Help();
        if (command is MoodPickerCommand) return MoodPicker();

        var userId = await users.ResolveAsync(unit, invoked.User, cancellationToken).ConfigureAwait(false);
        var reply = command switch
        {
            MoodCommand mood => Mood(userId, mood),
            SimilarCommand similar => Similar(userId, similar),
            RecommendCommand recommend => Recommend(userId, recommend),
            PopularCommand popular => Popular(userId, popular),
            ProfileCommand => Profile(userId),
            WebCommand => Web(userId),
            ForgetCommand forget => await ForgetAsync(unit, userId, forget, cancellationToken).ConfigureAwait(false),
            AccountCommand account => await AccountAsync(unit, userId, account, invoked.At, cancellationToken).ConfigureAwait(false),
            GroupCommand group => await GroupAsync(unit, invoked, userId, group, cancellationToken).ConfigureAwait(false),
            _ => Help(),
        };
        return Pageable(reply with { RequestedBy = userId }, command, invoked);
    }

    private async Task<Reply?> OnFeedbackAsync(
        ChatEvent feedback, string messageId, string emoji, int? itemIndex, bool added, bool toggle, long? buttonTrack, IUnitOfWork unit, CancellationToken cancellationToken)
    {
        if (Core.Catalog.Emoji.Strip(emoji) == JoinEmoji) return await JoinOrLeaveAsync(unit, feedback, messageId, added, toggle, cancellationToken).ConfigureAwait(false);
        if (!ReactionVocabulary.TryInterpret(emoji, out var meaning)) return null;
        var message = await ledger.FindAsync(feedback.Platform, feedback.ChatId, messageId, cancellationToken).ConfigureAwait(false);
        if ((message is null || message.TrackIds.Count == 0) && toggle && itemIndex is { } pressed
            && buttonTrack is { } named && recommend.Catalog.TryGetItem(named, out _))
        {
            // The ledger never learned this message (its id got lost on the way back), but the button names its track.
            message = new SentMessage(feedback.Platform, feedback.ChatId, messageId, null, "button",
                [.. Enumerable.Repeat(named, pressed)], feedback.At);
        }
        if (message is null || message.TrackIds.Count == 0)
        {
            // A stray emoji on some other message says nothing; a pressed button deserves an answer.
            return toggle ? Reply.Problem("That list is too old for me to read, sorry. Ask again (/recommend or /mood) and rate the new one.") : null;
        }

        var item = meaning.Item ?? itemIndex;
        if (item is { } n && (n < 1 || n > message.TrackIds.Count))
        {
            return Reply.Problem($"That reply has tracks 1 to {message.TrackIds.Count}; there is no track {n}.");
        }
        var targets = item is { } one ? [message.TrackIds[one - 1]] : message.TrackIds;
        var userId = await users.ResolveAsync(unit, feedback.User, cancellationToken).ConfigureAwait(false);
        var done = await feedbackUseCase.ApplyAsync(
            unit,
            new FeedbackInput(feedback.EventId, userId, feedback.Platform, feedback.ChatId, messageId, ReactionVocabulary.Key(emoji), item, meaning.Signal, targets, added, feedback.At)
            {
                FullWeight = item is not null,
                InGroup = message.Context.StartsWith("group", StringComparison.Ordinal),
                Toggle = toggle,
            },
            cancellationToken).ConfigureAwait(false);
        if (done.Outcome != FeedbackOutcome.Applied) return null;

        return Reply.Receipt(Receipt(meaning.Signal, done.Added, done.Hides, targets));
    }

    private string Receipt(FeedbackSignal signal, bool added, bool hides, IReadOnlyList<long> targets)
    {
        var catalog = recommend.Catalog;
        var name = targets.Count == 1 && catalog.TryGetItem(targets[0], out var item) ? catalog[item].Title : $"these {targets.Count}";
        if (!added) return $"Taken back: your reaction on {name} no longer counts.";
        if (hides) return $"Hidden: {name} won't come up for you again (remove the reaction to undo).";
        return signal switch
        {
            FeedbackSignal.Love => $"Noted: you love {name}.",
            FeedbackSignal.Like => $"Noted: more like {name}.",
            FeedbackSignal.Skip => $"Noted: a little less like {name}.",
            _ => $"Noted: less like {name}.",
        };
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a {Platform} event {EventId} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string platform, string eventId);
}
