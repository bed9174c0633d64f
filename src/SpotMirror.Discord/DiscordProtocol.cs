namespace SpotMirror.Discord;

/// <summary>Gateway opcodes (the "op" of every frame) the client sends or understands.</summary>
public enum GatewayOpcode
{
    Dispatch = 0,
    Heartbeat = 1,
    Identify = 2,
    Resume = 6,
    Reconnect = 7,
    InvalidSession = 9,
    Hello = 10,
    HeartbeatAck = 11,
}

/// <summary>The "type" of an INTERACTION_CREATE.</summary>
public enum InteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

/// <summary>The "type" of an interaction's first answer.</summary>
public enum InteractionCallbackType
{
    ChannelMessageWithSource = 4,
    DeferredChannelMessageWithSource = 5,
    ApplicationCommandAutocompleteResult = 8,
}

/// <summary>What a gateway close code asks of the client (protocols.md 1.4).</summary>
public enum GatewayCloseAction
{
    /// <summary>Unknown codes and the transient ones: reconnect and resume the session.</summary>
    Resume,

    /// <summary>The session is gone (invalid sequence, session timed out): identify afresh.</summary>
    Identify,

    /// <summary>Nothing a reconnect can fix (bad token, intents or shard): stop.</summary>
    Fatal,
}

public static class GatewayCloseCodes
{
    /// <summary>Client sent bad payload, unknown opcode, not authenticated, already authenticated, rate limited... : resume.</summary>
    private static readonly int[] Resumable = [4000, 4001, 4002, 4003, 4005, 4008];
    private static readonly int[] NewSession = [4007, 4009];
    private static readonly int[] Fatal = [4004, 4010, 4011, 4012, 4013, 4014];

    /// <summary>Not 1000: that ends the session, so the next process could not resume it and Discord would not replay.</summary>
    public const int KeepSession = 4000;

    public static GatewayCloseAction ActionFor(int code) =>
        Fatal.Contains(code) ? GatewayCloseAction.Fatal
        : NewSession.Contains(code) ? GatewayCloseAction.Identify
        : GatewayCloseAction.Resume;

    /// <summary>Discord's reason for a fatal close, with the setting that fixes it.</summary>
    public static string Explain(int code, string reason, DiscordOptions options, int recommendedShards) => code switch
    {
        4004 => $"{reason} Check Discord:Token.",
        4010 => $"{reason} Shard {options.ShardId} of {options.ShardCount} was refused; Discord:ShardId must be 0 to Discord:ShardCount - 1, the same ShardCount on every worker.",
        4011 => $"{reason} Discord needs this bot sharded: set Discord:ShardCount to at least {Math.Max(2, recommendedShards)} and run one worker per Discord:ShardId.",
        4013 or 4014 => $"{reason} Check the bot's intents in the Developer Portal.",
        _ => reason,
    };

    /// <summary>A code Discord documents (as opposed to one from a proxy or a dropped socket).</summary>
    public static bool IsKnown(int code) => Resumable.Contains(code) || NewSession.Contains(code) || Fatal.Contains(code);
}
