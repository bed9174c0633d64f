using System.Globalization;
using System.Text.Json.Nodes;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;

namespace SpotMirror.Discord;

/// <summary>One dispatch as the bot understands it.</summary>
public abstract record DiscordInbound(long Sequence);

/// <summary>An interaction to acknowledge: Id and Token answer it; the event is what Chat handles.</summary>
public sealed record InboundInteraction(long Sequence, string Id, string Token, string ApplicationId, string ChannelId, ChatEvent Event, bool Ephemeral)
    : DiscordInbound(Sequence);

/// <summary>Autocomplete: answered at once from the mood names, no storage involved.</summary>
public sealed record InboundAutocomplete(long Sequence, string Id, string Token, string Option, string Typed) : DiscordInbound(Sequence);

public sealed record InboundReaction(long Sequence, ReactionChanged Event) : DiscordInbound(Sequence);

/// <summary>A dispatch with nothing for us, or one we could not read (logged with its sequence and skipped).</summary>
public sealed record InboundSkipped(long Sequence, string Why) : DiscordInbound(Sequence);

/// <summary>Reads dispatches into chat events; never throws on a malformed one.</summary>
public static class DiscordInboundParser
{
    public const string Platform = "discord";

    public static DiscordInbound Parse(GatewayDispatch dispatch, string? botUserId, DateTimeOffset now)
    {
        try
        {
            return dispatch.Type switch
            {
                "INTERACTION_CREATE" => Interaction(dispatch, now),
                "MESSAGE_REACTION_ADD" => Reaction(dispatch, botUserId, added: true, now),
                "MESSAGE_REACTION_REMOVE" => Reaction(dispatch, botUserId, added: false, now),
                _ => new InboundSkipped(dispatch.Sequence, $"{dispatch.Type} is not used"),
            };
        }
        catch (Exception exception) when (exception is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            return new InboundSkipped(dispatch.Sequence, $"unreadable {dispatch.Type}: {exception.Message}");
        }
    }

    private static DiscordInbound Interaction(GatewayDispatch dispatch, DateTimeOffset now)
    {
        var d = dispatch.Data as JsonObject ?? throw new FormatException("no data");
        var id = Required(d, "id");
        var token = Required(d, "token");
        var applicationId = Required(d, "application_id");
        var channelId = (string?)d["channel_id"] ?? (string?)d["channel"]?["id"] ?? throw new FormatException("no channel");
        var user = d["member"]?["user"] ?? d["user"] ?? throw new FormatException("no user");
        var who = new ChatUser(Platform, Required(user, "id"), (string?)user["global_name"] ?? (string?)user["username"] ?? "someone");
        var data = d["data"] as JsonObject ?? throw new FormatException("no interaction data");
        var eventId = $"dc:ix:{id}";
        switch ((InteractionType?)(int?)d["type"])
        {
            case InteractionType.ApplicationCommand:
                var name = Required(data, "name");
                var text = DiscordCommands.ToText(name, data["options"] as JsonArray);
                // /web answers with a sign-in link: only the person who asked may see it.
                return new InboundInteraction(dispatch.Sequence, id, token, applicationId, channelId,
                    new CommandInvoked(eventId, Platform, channelId, who, now, text), Ephemeral: name == "web");
            case InteractionType.MessageComponent:
                var messageId = (string?)d["message"]?["id"] ?? throw new FormatException("a button without its message");
                var customId = Required(data, "custom_id");
                if (ReplyActions.TryRead(customId, out _, out _))
                {
                    // A picked mood or a list's own More answers in the channel; someone else's More, privately.
                    var action = new ActionPressed(eventId, Platform, channelId, who, now, messageId, customId);
                    return new InboundInteraction(dispatch.Sequence, id, token, applicationId, channelId, action,
                        Ephemeral: ReplyActions.IsSomeoneElsesMore(customId, who.PlatformUserId));
                }
                ChatEvent pressed = customId == DiscordRenderer.JoinCustomId
                    ? new ButtonPressed(eventId, Platform, channelId, who, now, messageId, ChatService.JoinEmoji, 0)
                    : TryButton(customId, out var emoji, out var item)
                        ? new ButtonPressed(eventId, Platform, channelId, who, now, messageId, emoji, item)
                        : throw new FormatException($"unknown button {customId}");
                return new InboundInteraction(dispatch.Sequence, id, token, applicationId, channelId, pressed, Ephemeral: true);
            case InteractionType.ApplicationCommandAutocomplete:
                var (option, typed) = DiscordCommands.Focused(data["options"] as JsonArray);
                return new InboundAutocomplete(dispatch.Sequence, id, token, option, typed);
            default:
                return new InboundSkipped(dispatch.Sequence, $"interaction type {d["type"]} is not used");
        }
    }

    private static DiscordInbound Reaction(GatewayDispatch dispatch, string? botUserId, bool added, DateTimeOffset now)
    {
        var d = dispatch.Data as JsonObject ?? throw new FormatException("no data");
        var userId = Required(d, "user_id");
        // Discord echoes the bot's own (seed) reactions; they are not anybody's taste.
        if (userId == botUserId) return new InboundSkipped(dispatch.Sequence, "our own reaction");
        var emoji = d["emoji"];
        if (emoji?["id"] is not null) return new InboundSkipped(dispatch.Sequence, "a custom emoji");
        if ((string?)emoji?["name"] is not { Length: > 0 } name) return new InboundSkipped(dispatch.Sequence, "a reaction with no emoji name");
        var channelId = Required(d, "channel_id");
        var messageId = Required(d, "message_id");
        var member = d["member"]?["user"];
        // A removal carries no member: an empty name keeps the one we know.
        var who = new ChatUser(Platform, userId, (string?)member?["global_name"] ?? (string?)member?["username"] ?? "");
        var eventId = string.Create(CultureInfo.InvariantCulture, $"dc:rx:{userId}:{messageId}:{name}:{(added ? "add" : "remove")}:{dispatch.Sequence}");
        return new InboundReaction(dispatch.Sequence, new ReactionChanged(eventId, Platform, channelId, who, now, messageId, name, null, added));
    }

    private static bool TryButton(string customId, out string emoji, out int item)
    {
        (emoji, item) = ("", 0);
        var parts = customId.Split(':');
        if (parts.Length != 3 || parts[0] != "fb" || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out item) || item < 1) return false;
        emoji = parts[1] switch { "u" => "👍", "d" => "👎", "l" => "❤️", _ => "" };
        return emoji.Length > 0;
    }

    private static string Required(JsonNode node, string name) => (string?)node[name] ?? throw new FormatException($"no {name}");
}
