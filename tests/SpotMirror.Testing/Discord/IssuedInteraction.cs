using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>An interaction the fake dispatched, and what the bot has done with its token since.</summary>
internal sealed class IssuedInteraction(
    string id,
    string token,
    int type,
    DiscordPlace place,
    JsonObject user,
    DateTimeOffset dispatchedAt,
    string? componentMessageId,
    long? focusedOptionType)
{
    public string Id { get; } = id;

    public string Token { get; } = token;

    /// <summary>2 command, 3 component, 4 autocomplete.</summary>
    public int Type { get; } = type;

    public DiscordPlace Place { get; } = place;

    public JsonObject User { get; } = user;

    public DateTimeOffset DispatchedAt { get; } = dispatchedAt;

    /// <summary>The message carrying the clicked component.</summary>
    public string? ComponentMessageId { get; } = componentMessageId;

    /// <summary>The option type of the focused option, for checking autocomplete choices.</summary>
    public long? FocusedOptionType { get; } = focusedOptionType;

    // Set under the interaction book's lock.
    public int? AcknowledgedWith { get; set; }

    public StoredMessage? Original { get; set; }

    /// <summary>After a type 5 defer, the first follow-up fills in the "thinking" message instead of posting a new one.</summary>
    public bool FollowupFillsOriginal { get; set; }

    public IReadOnlyList<int> AllowedCallbacks => Type switch
    {
        2 => [4, 5, 9],
        3 => [4, 5, 6, 7, 9],
        4 => [8],
        _ => [4, 5, 6, 7],
    };
}
