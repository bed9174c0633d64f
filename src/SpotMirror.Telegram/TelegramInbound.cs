using System.Text.Json;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace SpotMirror.Telegram;

/// <summary>One update from getUpdates as the adapter understood it; UpdateId is what the offset confirms.</summary>
public abstract record TelegramInbound(long UpdateId);

/// <summary>A command message; the reply goes back to ChatId as an answer to MessageId.</summary>
public sealed record InboundCommand(long UpdateId, CommandInvoked Event, long ChatId, int MessageId) : TelegramInbound(UpdateId);

/// <summary>A feedback button pressed under one of our replies; the callback query must be answered.</summary>
public sealed record InboundButton(long UpdateId, ButtonPressed Event, string CallbackQueryId) : TelegramInbound(UpdateId);

/// <summary>A reply button that runs something (a picked mood, More); what it brings is sent as a message, a refusal as a toast.</summary>
public sealed record InboundAction(long UpdateId, ActionPressed Event, long ChatId, int MessageId, string CallbackQueryId) : TelegramInbound(UpdateId);

/// <summary>Someone typing "@bot nightc" in any chat: answered at once with tracks and artists to pick for /similar.</summary>
public sealed record InboundInlineQuery(long UpdateId, string QueryId, string Text) : TelegramInbound(UpdateId);

/// <summary>A callback query that is not ours to read (old or foreign data): answered quietly, nothing else.</summary>
public sealed record InboundStrayButton(long UpdateId, string CallbackQueryId) : TelegramInbound(UpdateId);

/// <summary>Emoji put on or taken off a message, from the diff of the old and new reaction lists.</summary>
public sealed record InboundReactions(long UpdateId, IReadOnlyList<ReactionChanged> Events) : TelegramInbound(UpdateId);

/// <summary>An update with nothing for us (plain chat in a group, an anonymous reaction, a count): confirmed and dropped.</summary>
public sealed record InboundIgnored(long UpdateId, string Why) : TelegramInbound(UpdateId);

/// <summary>An update that could not be read at all (a poison update); logged with its id and skipped.</summary>
public sealed record InboundUnreadable(long UpdateId, string Why) : TelegramInbound(UpdateId);

/// <summary>
/// Reads one raw update at a time, so a single malformed one never fails the batch (Telegram.Bot's
/// own receiver fails the whole getUpdates response on one unknown reaction type, protocols.md 6.2).
/// </summary>
public sealed class TelegramUpdateParser(string botUsername, TimeProvider clock)
{
    public const string Platform = "telegram";

    /// <summary>The update id of a raw update, when it has one.</summary>
    public static long? IdOf(JsonElement raw) =>
        raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("update_id", out var id) && id.TryGetInt64(out var value) ? value : null;

    public TelegramInbound Parse(JsonElement raw)
    {
        var updateId = IdOf(raw) ?? -1;
        Update? update;
        try
        {
            update = raw.Deserialize<Update>(JsonBotAPI.Options);
        }
        catch (JsonException exception)
        {
            return new InboundUnreadable(updateId, exception.Message);
        }
        catch (NotSupportedException exception)
        {
            return new InboundUnreadable(updateId, exception.Message);
        }
        if (update is null) return new InboundUnreadable(updateId, "null update");

        return update switch
        {
            { Message: { } message } => FromMessage(updateId, message),
            { CallbackQuery: { } query } => FromCallback(updateId, query),
            { InlineQuery: { } inline } => new InboundInlineQuery(updateId, inline.Id, inline.Query),
            { MessageReaction: { } reaction } => FromReaction(updateId, reaction),
            { MessageReactionCount: not null } => new InboundIgnored(updateId, "anonymous reaction counts carry no user"),
            _ => new InboundIgnored(updateId, $"update type {update.Type} is not used"),
        };
    }

    private TelegramInbound FromMessage(long updateId, Message message)
    {
        if (message.From is not { IsBot: false } from) return new InboundIgnored(updateId, "a message with no human sender");
        var text = message.Text?.Trim() ?? "";
        var isPrivate = message.Chat.Type == ChatType.Private;
        if (!text.StartsWith('/'))
        {
            // In a private chat every message is for us, so plain text gets a pointer to the commands;
            // in a group plain chatter is none of our business.
            if (!isPrivate || text.Length == 0) return new InboundIgnored(updateId, "not a command");
            text = "/help";
        }
        else if (!IsForUs(text))
        {
            return new InboundIgnored(updateId, "a command for another bot");
        }

        var chatId = message.Chat.Id;
        var invoked = new CommandInvoked(
            $"tg:msg:{chatId}:{message.MessageId}", Platform, chatId.ToString(), UserOf(from),
            new DateTimeOffset(DateTime.SpecifyKind(message.Date, DateTimeKind.Utc)), text);
        return new InboundCommand(updateId, invoked, chatId, message.MessageId);
    }

    private TelegramInbound FromCallback(long updateId, CallbackQuery query)
    {
        if (query.Message is not { } message) return new InboundStrayButton(updateId, query.Id);
        if (ReplyActions.TryRead(query.Data, out _, out _))
        {
            var action = new ActionPressed(
                $"tg:cb:{query.Id}", Platform, message.Chat.Id.ToString(), UserOf(query.From), clock.GetUtcNow(), message.MessageId.ToString(), query.Data!);
            return new InboundAction(updateId, action, message.Chat.Id, message.MessageId, query.Id);
        }
        string emoji;
        int item;
        long? trackId = null;
        if (query.Data == FeedbackButtons.JoinData)
        {
            // Join toggles membership of the lobby the button sits under, like 🎧 on it.
            (emoji, item) = (ChatService.JoinEmoji, 0);
        }
        else if (!FeedbackButtons.TryRead(query.Data, out var feedbackEmoji, out item, out trackId))
        {
            return new InboundStrayButton(updateId, query.Id);
        }
        else
        {
            emoji = feedbackEmoji;
        }
        var chatId = message.Chat.Id.ToString();
        var pressed = new ButtonPressed(
            $"tg:cb:{query.Id}", Platform, chatId, UserOf(query.From), clock.GetUtcNow(),
            message.MessageId.ToString(), emoji, item, trackId);
        return new InboundButton(updateId, pressed, query.Id);
    }

    private static TelegramInbound FromReaction(long updateId, MessageReactionUpdated reaction)
    {
        // Anonymous admins and channels react as a chat (actor_chat): no person, so no preference to change.
        if (reaction.User is not { IsBot: false } user) return new InboundIgnored(updateId, "an anonymous reaction");

        var before = EmojiOf(reaction.OldReaction);
        var after = EmojiOf(reaction.NewReaction);
        var chatId = reaction.Chat.Id.ToString();
        var messageId = reaction.MessageId.ToString();
        var at = new DateTimeOffset(DateTime.SpecifyKind(reaction.Date, DateTimeKind.Utc));
        var who = UserOf(user);
        var events = new List<ReactionChanged>();
        // Taken off first, then put on: a swap between two meanings never leaves both counted for a moment.
        foreach (var key in before.Keys.Except(after.Keys))
        {
            var emoji = before[key];
            events.Add(new ReactionChanged($"tg:rx:{updateId}:-{emoji}", Platform, chatId, who, at, messageId, emoji, null, Added: false));
        }
        foreach (var key in after.Keys.Except(before.Keys))
        {
            var emoji = after[key];
            events.Add(new ReactionChanged($"tg:rx:{updateId}:+{emoji}", Platform, chatId, who, at, messageId, emoji, null, Added: true));
        }
        return events.Count == 0 ? new InboundIgnored(updateId, "no emoji changed") : new InboundReactions(updateId, events);
    }

    /// <summary>
    /// Plain emoji only (custom and paid reactions mean nothing to us), folded to their stored key, so 👍
    /// turned into 🔥 (one meaning) changes nothing.
    /// </summary>
    private static Dictionary<string, string> EmojiOf(ReactionType[]? reactions)
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reaction in (reactions ?? []).OfType<ReactionTypeEmoji>())
        {
            byKey.TryAdd(ReactionVocabulary.Key(reaction.Emoji), Core.Catalog.Emoji.Strip(reaction.Emoji));
        }
        return byKey;
    }

    private static ChatUser UserOf(User user) => new(Platform, user.Id.ToString(), user.FirstName);

    /// <summary>"/mood@OurBot chill" and "/mood chill" are ours; "/mood@OtherBot chill" is not.</summary>
    private bool IsForUs(string text)
    {
        var head = text.Split(' ', 2)[0];
        var at = head.IndexOf('@', StringComparison.Ordinal);
        return at < 0 || string.Equals(head[(at + 1)..], botUsername, StringComparison.OrdinalIgnoreCase);
    }
}
