using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>The payloads a fresh session opens with: READY, then GUILD_CREATE for each guild its shard owns.</summary>
internal sealed class GatewayPayloads(FakeDiscordOptions options, MessageBook messages)
{
    public const string ReadyEvent = "READY";
    public const string GuildCreateEvent = "GUILD_CREATE";

    public JsonObject Hello() => new() { ["heartbeat_interval"] = (long)options.HeartbeatInterval.TotalMilliseconds, ["_trace"] = Trace("gateway-hello") };

    public IEnumerable<(string Event, JsonObject Data)> Opening(GatewaySession session, string resumeUrl, JsonNode? shard)
    {
        var guilds = Guilds().Where(g => session.Owns(g.Id)).ToList();
        yield return (ReadyEvent, Ready(session.Id, resumeUrl, shard, guilds));
        foreach (var guild in guilds)
        {
            yield return (GuildCreateEvent, Guild(guild));
        }
    }

    private IEnumerable<FakeGuild> Guilds() => [new FakeGuild(options.GuildId, options.GuildChannelId), .. options.OtherGuilds];

    private JsonObject Ready(string sessionId, string resumeUrl, JsonNode? shard, List<FakeGuild> guilds)
    {
        var user = messages.BotUser();
        user["verified"] = true;
        user["mfa_enabled"] = false;
        user["flags"] = 0;
        user["email"] = null;
        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = user,
            ["user_settings"] = new JsonObject(),
            ["session_type"] = "normal",
            ["session_id"] = sessionId,
            ["resume_gateway_url"] = resumeUrl,
            ["relationships"] = new JsonArray(),
            ["private_channels"] = new JsonArray(),
            ["presences"] = new JsonArray(),
            ["guilds"] = new JsonArray([.. guilds.Select(g => (JsonNode)new JsonObject { ["id"] = g.Id, ["unavailable"] = true })]),
            ["guild_join_requests"] = new JsonArray(),
            ["geo_ordered_rtc_regions"] = new JsonArray("us-east", "us-central", "atlanta", "us-south", "us-west"),
            ["auth"] = new JsonObject(),
            ["application"] = new JsonObject { ["id"] = options.ApplicationId, ["flags"] = 565248 },
            ["_trace"] = Trace("gateway-prd-us-east1-b-0001"),
        };
        if (shard is not null)
        {
            ready["shard"] = shard.DeepClone();
        }

        return ready;
    }

    private JsonObject Guild(FakeGuild guild)
    {
        var everyone = new JsonObject { ["id"] = guild.Id, ["name"] = "@everyone", ["permissions"] = "2248473465835073", ["position"] = 0, ["color"] = 0, ["hoist"] = false, ["managed"] = false, ["mentionable"] = false };
        var channels = new JsonArray
        {
            new JsonObject { ["id"] = guild.ChannelId, ["type"] = 0, ["name"] = "music", ["position"] = 0, ["parent_id"] = null, ["topic"] = "Recommendations", ["nsfw"] = false, ["rate_limit_per_user"] = 0, ["permission_overwrites"] = new JsonArray(), ["last_message_id"] = null },
        };
        var emojis = new JsonArray();
        foreach (var custom in options.CustomEmoji)
        {
            var colon = custom.LastIndexOf(':');
            emojis.Add(new JsonObject { ["id"] = custom[(colon + 1)..], ["name"] = custom[..colon], ["roles"] = new JsonArray(), ["require_colons"] = true, ["managed"] = false, ["animated"] = false, ["available"] = true });
        }

        return new JsonObject
        {
            ["id"] = guild.Id,
            ["name"] = "SpotMirror test guild " + guild.Id,
            ["icon"] = null,
            ["owner_id"] = options.UserId,
            ["unavailable"] = false,
            ["large"] = false,
            ["member_count"] = 2,
            ["joined_at"] = "2025-01-01T00:00:00.000000+00:00",
            ["preferred_locale"] = "en-US",
            ["features"] = new JsonArray(),
            ["system_channel_id"] = guild.ChannelId,
            ["roles"] = new JsonArray(everyone),
            ["emojis"] = emojis,
            ["stickers"] = new JsonArray(),
            ["channels"] = channels,
            ["threads"] = new JsonArray(),
            ["members"] = new JsonArray(new JsonObject { ["user"] = messages.BotUser(), ["roles"] = new JsonArray(), ["joined_at"] = "2025-01-01T00:00:00.000000+00:00", ["deaf"] = false, ["mute"] = false }),
            ["voice_states"] = new JsonArray(),
            ["presences"] = new JsonArray(),
            ["stage_instances"] = new JsonArray(),
            ["guild_scheduled_events"] = new JsonArray(),
            ["soundboard_sounds"] = new JsonArray(),
        };
    }

    private static JsonArray Trace(string node) =>
        new("[\"" + node + "\",{\"micros\":0,\"calls\":[\"id_created\",{\"micros\":0,\"calls\":[]}]}]");
}
