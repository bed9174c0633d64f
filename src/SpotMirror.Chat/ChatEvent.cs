using SpotMirror.Core.Ports;

namespace SpotMirror.Chat;

/// <summary>Something that happened in a chat, parsed by an adapter; EventId is the platform's stable id for it.</summary>
public abstract record ChatEvent(string EventId, string Platform, string ChatId, ChatUser User, DateTimeOffset At);

/// <summary>A slash command (or console line) with its text, e.g. "/mood chill 3".</summary>
public sealed record CommandInvoked(string EventId, string Platform, string ChatId, ChatUser User, DateTimeOffset At, string Text)
    : ChatEvent(EventId, Platform, ChatId, User, At);

/// <summary>
/// An emoji reaction put on (Added) or taken off a bot reply. ItemIndex (1-based) is set when the
/// platform ties the reaction to one track (a per-item button, or the console's ":react 👍 3").
/// </summary>
public sealed record ReactionChanged(
    string EventId, string Platform, string ChatId, ChatUser User, DateTimeOffset At,
    string MessageId, string Emoji, int? ItemIndex, bool Added)
    : ChatEvent(EventId, Platform, ChatId, User, At);

/// <summary>
/// A per-track feedback button pressed under a bot reply (Telegram inline keyboard, Discord button).
/// A press toggles: the first puts that emoji on the track, the next takes it back. TrackId is set when
/// the button itself says which track it is about, so a press counts even on a message the ledger lost.
/// </summary>
public sealed record ButtonPressed(
    string EventId, string Platform, string ChatId, ChatUser User, DateTimeOffset At,
    string MessageId, string Emoji, int ItemIndex, long? TrackId = null)
    : ChatEvent(EventId, Platform, ChatId, User, At);

/// <summary>
/// A reply button that runs something for whoever pressed it (a mood picker's mood, a list's More);
/// Action is a <see cref="ReplyActions"/> code, MessageId the message the button is under.
/// </summary>
public sealed record ActionPressed(
    string EventId, string Platform, string ChatId, ChatUser User, DateTimeOffset At,
    string MessageId, string Action)
    : ChatEvent(EventId, Platform, ChatId, User, At);
