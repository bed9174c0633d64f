using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>A bot message the fake holds, with the emoji the bot reacted with.</summary>
internal sealed class StoredMessage(string id, string channelId, string? guildId, DiscordMessageSource source, string? interactionId, JsonObject message)
{
    public string Id { get; } = id;

    public string ChannelId { get; } = channelId;

    public string? GuildId { get; } = guildId;

    public DiscordMessageSource Source { get; } = source;

    public string? InteractionId { get; } = interactionId;

    /// <summary>The message object; changed only under the book's lock.</summary>
    public JsonObject Message { get; } = message;

    public HashSet<string> BotReactions { get; } = new(StringComparer.Ordinal);

    public bool Deleted { get; set; }

    public int Flags => (int)(DiscordJson.Integer(Message["flags"]) ?? 0);
}

/// <summary>Every message the bot created through any route, and the channels the fake knows.</summary>
internal sealed class MessageBook
{
    private readonly FakeDiscordOptions _options;
    private readonly Snowflakes _ids;
    private readonly RecordedLog<SentDiscordMessage> _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredMessage> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Channel, string Nonce), StoredMessage> _nonces = [];

    public MessageBook(FakeDiscordOptions options, Snowflakes ids, RecordedLog<SentDiscordMessage> log)
    {
        _options = options;
        _ids = ids;
        _log = log;
        _channels[options.GuildChannelId] = options.GuildId;
        _channels[options.DmChannelId] = null;
    }

    /// <summary>Remembers a channel a scripted event happened in, and its guild (null for a DM).</summary>
    public void KnowChannel(string channelId, string? guildId)
    {
        lock (_gate)
        {
            _channels[channelId] = guildId;
        }
    }

    public bool TryGetChannel(string channelId, out string? guildId)
    {
        lock (_gate)
        {
            return _channels.TryGetValue(channelId, out guildId);
        }
    }

    public StoredMessage? Find(string messageId)
    {
        lock (_gate)
        {
            return _messages.TryGetValue(messageId, out var message) && !message.Deleted ? message : null;
        }
    }

    /// <summary>POST /channels/{c}/messages, with nonce de-duplication when enforce_nonce is set.</summary>
    public RestResult CreateInChannel(string channelId, JsonObject body)
    {
        if (!TryGetChannel(channelId, out var guildId))
        {
            return RestResult.Error(404, 10003, "Unknown Channel");
        }

        var nonce = body["nonce"]?.ToJsonString();
        var enforce = DiscordJson.Boolean(body["enforce_nonce"]) ?? false;
        lock (_gate)
        {
            if (enforce && nonce is not null && _nonces.TryGetValue((channelId, nonce), out var existing))
            {
                return RestResult.Json(existing.Message.DeepClone());
            }

            var message = Create(channelId, guildId, body, DiscordMessageSource.Channel, interaction: null, extraFlags: 0);
            if (enforce && nonce is not null)
            {
                _nonces[(channelId, nonce)] = message;
            }

            return RestResult.Json(message.Message.DeepClone());
        }
    }

    /// <param name="interaction">The interaction a response or follow-up belongs to, for its metadata.</param>
    public StoredMessage Create(string channelId, string? guildId, JsonObject body, DiscordMessageSource source, IssuedInteraction? interaction, int extraFlags)
    {
        var now = _options.Clock.GetUtcNow();
        var id = _ids.Next();
        var message = new JsonObject
        {
            ["id"] = id,
            ["type"] = source == DiscordMessageSource.Channel || interaction?.Type != 2 ? 0 : 20,
            ["channel_id"] = channelId,
            ["author"] = BotUser(),
            ["content"] = DiscordJson.String(body, "content") ?? string.Empty,
            ["timestamp"] = DiscordJson.Timestamp(now),
            ["edited_timestamp"] = null,
            ["tts"] = DiscordJson.Boolean(body["tts"]) ?? false,
            ["mention_everyone"] = false,
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = DiscordJson.Clone(body["attachments"]) ?? new JsonArray(),
            ["embeds"] = Embeds(body["embeds"]),
            ["components"] = DiscordJson.Clone(body["components"]) ?? new JsonArray(),
            ["pinned"] = false,
            ["flags"] = MessageRules.FlagsOf(body) | extraFlags,
        };
        if (body["nonce"] is { } nonce)
        {
            message["nonce"] = nonce.DeepClone();
        }

        if (interaction is not null)
        {
            message["application_id"] = _options.ApplicationId;
            message["webhook_id"] = _options.ApplicationId;
            message["interaction_metadata"] = new JsonObject
            {
                ["id"] = interaction.Id,
                ["type"] = interaction.Type,
                ["user"] = DiscordJson.Clone(interaction.User),
            };
        }

        var stored = new StoredMessage(id, channelId, guildId, source, interaction?.Id, message);
        lock (_gate)
        {
            _messages[id] = stored;
        }

        Record(stored, DiscordMessageAction.Created, now);
        return stored;
    }

    /// <summary>Applies the fields an edit carries; a deferred "thinking" message stops loading without looking edited.</summary>
    public void Edit(StoredMessage stored, JsonObject body)
    {
        var now = _options.Clock.GetUtcNow();
        lock (_gate)
        {
            var message = stored.Message;
            var wasLoading = (stored.Flags & MessageRules.Loading) != 0;
            if (body.ContainsKey("content"))
            {
                message["content"] = DiscordJson.String(body, "content") ?? string.Empty;
            }

            if (body.ContainsKey("embeds"))
            {
                message["embeds"] = Embeds(body["embeds"]);
            }

            if (body.ContainsKey("attachments"))
            {
                message["attachments"] = DiscordJson.Clone(body["attachments"]) ?? new JsonArray();
            }

            if (body.ContainsKey("components"))
            {
                message["components"] = DiscordJson.Clone(body["components"]) ?? new JsonArray();
            }

            // Ephemerality is fixed at creation; only the other flags follow an edit.
            var kept = stored.Flags & MessageRules.Ephemeral;
            var asked = body.ContainsKey("flags") ? MessageRules.FlagsOf(body) & ~MessageRules.Ephemeral : stored.Flags & ~(MessageRules.Ephemeral | MessageRules.Loading);
            message["flags"] = kept | asked;
            message["edited_timestamp"] = wasLoading ? null : DiscordJson.Timestamp(now);
        }

        Record(stored, DiscordMessageAction.Edited, now);
    }

    public void Delete(StoredMessage stored)
    {
        lock (_gate)
        {
            stored.Deleted = true;
        }

        Record(stored, DiscordMessageAction.Deleted, _options.Clock.GetUtcNow());
    }

    public JsonObject BotUser() => new()
    {
        ["id"] = _options.BotUserId,
        ["username"] = _options.BotUsername,
        ["discriminator"] = "0",
        ["global_name"] = null,
        ["avatar"] = null,
        ["bot"] = true,
    };

    private static JsonArray Embeds(JsonNode? node)
    {
        var embeds = new JsonArray();
        if (node is JsonArray given)
        {
            foreach (var embed in given.OfType<JsonObject>())
            {
                var copy = (JsonObject)embed.DeepClone();
                copy["type"] ??= "rich";
                embeds.Add(copy);
            }
        }

        return embeds;
    }

    private void Record(StoredMessage stored, DiscordMessageAction action, DateTimeOffset at)
    {
        JsonObject snapshot;
        lock (_gate)
        {
            snapshot = (JsonObject)stored.Message.DeepClone();
        }

        _log.Add(new SentDiscordMessage(
            stored.Id,
            stored.ChannelId,
            stored.GuildId,
            stored.Source,
            action,
            stored.InteractionId,
            DiscordJson.String(snapshot, "content") ?? string.Empty,
            snapshot["embeds"] as JsonArray ?? [],
            snapshot["components"] as JsonArray ?? [],
            (int)(DiscordJson.Integer(snapshot["flags"]) ?? 0),
            snapshot,
            at));
    }
}
