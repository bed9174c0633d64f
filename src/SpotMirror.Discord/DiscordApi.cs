using System.Text.Json.Nodes;

namespace SpotMirror.Discord;

/// <summary>What GET /gateway/bot says: where to connect and how many new sessions may start today.</summary>
public sealed record GatewayInfo(string Url, int Shards, int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency);

/// <summary>The few typed Discord calls the bot makes, over DiscordRest's one send path.</summary>
public sealed class DiscordApi(DiscordRest rest)
{
    public DiscordRest Rest { get; } = rest;

    public async Task<GatewayInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        var body = await Rest.SendAsync(HttpMethod.Get, "/gateway/bot", "", "/gateway/bot", null, idempotent: true, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException("GET /gateway/bot returned nothing");
        var limit = body["session_start_limit"];
        return new GatewayInfo(
            (string)body["url"]!,
            (int?)body["shards"] ?? 1,
            (int?)limit?["total"] ?? 1000,
            (int?)limit?["remaining"] ?? 1000,
            TimeSpan.FromMilliseconds((double?)limit?["reset_after"] ?? 0),
            Math.Max(1, (int?)limit?["max_concurrency"] ?? 1));
    }

    /// <summary>The registered commands, of one guild when given, else global.</summary>
    public async Task<JsonArray> GetCommandsAsync(string applicationId, string? guildId, CancellationToken cancellationToken) =>
        (await Rest.SendAsync(HttpMethod.Get, CommandsRoute(guildId), applicationId, CommandsPath(applicationId, guildId), null, idempotent: true, cancellationToken).ConfigureAwait(false))
            as JsonArray ?? [];

    /// <summary>Replaces every command (of the guild, or global) with this set.</summary>
    public Task<JsonNode?> OverwriteCommandsAsync(string applicationId, string? guildId, JsonArray commands, CancellationToken cancellationToken) =>
        Rest.SendAsync(HttpMethod.Put, CommandsRoute(guildId), applicationId, CommandsPath(applicationId, guildId), commands, idempotent: true, cancellationToken);

    /// <summary>The first (and only) acknowledgement of an interaction; not retried, since a repeat is refused (40060).</summary>
    public Task<JsonNode?> RespondAsync(string interactionId, string token, JsonObject response, CancellationToken cancellationToken) =>
        Rest.SendAsync(HttpMethod.Post, "/interactions/{id}/{token}/callback", interactionId,
            $"/interactions/{interactionId}/{Uri.EscapeDataString(token)}/callback", response, idempotent: false, cancellationToken);

    /// <summary>Edits the deferred or first answer of an interaction; returns the message (with its id).</summary>
    public Task<JsonNode> EditOriginalAsync(string applicationId, string token, JsonObject message, CancellationToken cancellationToken) =>
        EditOriginalAsync(applicationId, token, message, [], cancellationToken);

    /// <summary>As above, with files the message's attachments and embeds refer to (sent as multipart/form-data).</summary>
    public async Task<JsonNode> EditOriginalAsync(string applicationId, string token, JsonObject message, IReadOnlyList<DiscordFile> files, CancellationToken cancellationToken) =>
        await Rest.SendAsync(HttpMethod.Patch, "/webhooks/{app}/{token}/messages/@original", $"{applicationId}/{token}",
            $"/webhooks/{applicationId}/{Uri.EscapeDataString(token)}/messages/@original", message, files, idempotent: true, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidDataException("PATCH @original returned nothing");

    public async Task<JsonNode> GetOriginalAsync(string applicationId, string token, CancellationToken cancellationToken) =>
        await Rest.SendAsync(HttpMethod.Get, "/webhooks/{app}/{token}/messages/@original", $"{applicationId}/{token}",
            $"/webhooks/{applicationId}/{Uri.EscapeDataString(token)}/messages/@original", null, idempotent: true, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidDataException("GET @original returned nothing");

    /// <summary>Creates a message; with a nonce (and enforce_nonce) a retried call returns the same message, so it is safe to repeat.</summary>
    public Task<JsonNode> CreateMessageAsync(string channelId, JsonObject message, CancellationToken cancellationToken) =>
        CreateMessageAsync(channelId, message, [], cancellationToken);

    /// <summary>As above, with files the message's attachments and embeds refer to (sent as multipart/form-data).</summary>
    public async Task<JsonNode> CreateMessageAsync(string channelId, JsonObject message, IReadOnlyList<DiscordFile> files, CancellationToken cancellationToken) =>
        await Rest.SendAsync(HttpMethod.Post, "/channels/{id}/messages", channelId, $"/channels/{channelId}/messages", message, files,
            idempotent: message["nonce"] is not null, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidDataException("POST messages returned nothing");

    /// <summary>Puts the bot's own reaction on a message (the emoji percent-encoded, as the route requires).</summary>
    public Task<JsonNode?> AddOwnReactionAsync(string channelId, string messageId, string emoji, CancellationToken cancellationToken) =>
        Rest.SendAsync(HttpMethod.Put, "/channels/{id}/messages/{m}/reactions/{e}/@me", channelId,
            $"/channels/{channelId}/messages/{messageId}/reactions/{Uri.EscapeDataString(emoji)}/@me", null, idempotent: true, cancellationToken);

    private static string CommandsRoute(string? guildId) => guildId is null ? "/applications/{app}/commands" : "/applications/{app}/guilds/{g}/commands";

    private static string CommandsPath(string applicationId, string? guildId) =>
        guildId is null ? $"/applications/{applicationId}/commands" : $"/applications/{applicationId}/guilds/{guildId}/commands";
}
