using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>Gateway close codes: Discord's reasons, and which codes end the session.</summary>
internal static class GatewayCloseCodes
{
    /// <summary>After these the session cannot be resumed: 1000/1001 from either side, invalid seq, timeout and the fatal codes.</summary>
    public static bool EndsSession(int code) => code is 1000 or 1001 or 4004 or 4007 or 4009 or 4010 or 4011 or 4012 or 4013 or 4014;

    public static string ReasonOf(int code) => code switch
    {
        4000 => "Unknown error.",
        4001 => "Unknown opcode.",
        4002 => "Decode error.",
        4003 => "Not authenticated.",
        4004 => "Authentication failed.",
        4005 => "Already authenticated.",
        4007 => "Invalid seq.",
        4008 => "Rate limited.",
        4009 => "Session timed out.",
        4010 => "Invalid shard.",
        4011 => "Sharding required.",
        4012 => "Invalid API version.",
        4013 => "Invalid intent(s).",
        4014 => "Disallowed intent(s).",
        _ => string.Empty,
    };
}

/// <summary>What makes Discord refuse an Identify, and with which close code.</summary>
internal static class IdentifyRules
{
    // Documented intent bits: 0-16, 20, 21, 24 and 25.
    private const long KnownIntents = 0x1FFFF | (1L << 20) | (1L << 21) | (1L << 24) | (1L << 25);

    // GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT.
    private const long PrivilegedIntents = (1L << 1) | (1L << 8) | (1L << 15);

    private static readonly string[] PropertyNames = ["os", "browser", "device"];

    /// <summary>The identify's [shard_id, num_shards]; [0, 1] without one (or an unreadable one, which <see cref="Refusal"/> refuses).</summary>
    public static (int Id, int Count) ShardOf(JsonObject? data) =>
        data?["shard"] is JsonArray { Count: 2 } pair && DiscordJson.Integer(pair[0]) is { } id && DiscordJson.Integer(pair[1]) is { } count
            && id is >= int.MinValue and <= int.MaxValue && count is >= int.MinValue and <= int.MaxValue
            ? ((int)id, (int)count)
            : (0, 1);

    public static (int? Code, string? Reason) Refusal(GatewaySocket socket, JsonObject? data, bool tokenValid, long? intents, FakeDiscordOptions options)
    {
        var expected = options.ExpectedIntents;
        if (socket.Authenticated)
        {
            return (4005, "Already authenticated.");
        }

        if (data is null)
        {
            return (4002, "Error while decoding payload.");
        }

        if (!tokenValid)
        {
            return (4004, "Authentication failed.");
        }

        if (intents is not { } bits || (bits & ~KnownIntents) != 0 || bits < 0)
        {
            return (4013, "Invalid intent(s).");
        }

        if ((bits & PrivilegedIntents) != 0)
        {
            return (4014, "Disallowed intent(s).");
        }

        if (expected is { } wanted && bits != wanted)
        {
            return (4013, $"Invalid intent(s): the fake expects exactly {wanted}.");
        }

        if (data["properties"] is not JsonObject properties || PropertyNames.Any(p => DiscordJson.String(properties, p) is null))
        {
            return (4002, "Identify needs properties {os, browser, device}, without the old $ prefix.");
        }

        if (data["shard"] is { } shard && (shard is not JsonArray { Count: 2 } pair || DiscordJson.Integer(pair[0]) is not { } id
            || DiscordJson.Integer(pair[1]) is not { } count || count is < 1 or > 65_536 || id < 0 || id >= count))
        {
            return (4010, "Invalid shard.");
        }

        if (ShardOf(data).Count < options.RequiredShards)
        {
            return (4011, "Sharding required.");
        }

        if (DiscordJson.Boolean(data["compress"]) == true)
        {
            return (4002, "The fake does not compress; leave compress out.");
        }

        return data["large_threshold"] is { } threshold && DiscordJson.Integer(threshold) is not (>= 50 and <= 250)
            ? (4002, "large_threshold must be from 50 to 250.")
            : (null, null);
    }
}
