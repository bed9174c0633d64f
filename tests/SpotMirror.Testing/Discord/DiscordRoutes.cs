namespace SpotMirror.Testing.Discord;

/// <summary>The REST routes the fake serves, named as "METHOD /template" under <c>/api/v10</c>; used to aim faults.</summary>
public static class DiscordRoutes
{
    /// <summary>Matches every route, for <see cref="FakeDiscordServer.FailNext"/>.</summary>
    public const string Any = "*";

    public const string GetGatewayBot = "GET /gateway/bot";
    public const string GetGlobalCommands = "GET /applications/{application_id}/commands";
    public const string PutGlobalCommands = "PUT /applications/{application_id}/commands";
    public const string GetGuildCommands = "GET /applications/{application_id}/guilds/{guild_id}/commands";
    public const string PutGuildCommands = "PUT /applications/{application_id}/guilds/{guild_id}/commands";
    public const string InteractionCallback = "POST /interactions/{interaction_id}/{interaction_token}/callback";
    public const string GetOriginal = "GET /webhooks/{application_id}/{interaction_token}/messages/@original";
    public const string EditOriginal = "PATCH /webhooks/{application_id}/{interaction_token}/messages/@original";
    public const string DeleteOriginal = "DELETE /webhooks/{application_id}/{interaction_token}/messages/@original";
    public const string CreateFollowup = "POST /webhooks/{application_id}/{interaction_token}";
    public const string EditFollowup = "PATCH /webhooks/{application_id}/{interaction_token}/messages/{message_id}";
    public const string DeleteFollowup = "DELETE /webhooks/{application_id}/{interaction_token}/messages/{message_id}";
    public const string CreateMessage = "POST /channels/{channel_id}/messages";
    public const string AddOwnReaction = "PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me";
    public const string DeleteOwnReaction = "DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me";

    // Literal segments before parameters, so "@original" is not taken for a message id.
    internal static IReadOnlyList<string> All { get; } =
    [
        GetGatewayBot, GetGlobalCommands, PutGlobalCommands, GetGuildCommands, PutGuildCommands, InteractionCallback,
        GetOriginal, EditOriginal, DeleteOriginal, CreateFollowup, EditFollowup, DeleteFollowup,
        CreateMessage, AddOwnReaction, DeleteOwnReaction,
    ];
}

/// <summary>A request matched to a route: the template and its parameters, percent-decoded once.</summary>
internal sealed record RouteMatch(string Route, IReadOnlyDictionary<string, string> Values)
{
    public string this[string name] => Values[name];

    /// <summary>Finds the route for a method and the raw path below /api/v10; false with <paramref name="pathKnown"/> set when only the method is wrong.</summary>
    public static RouteMatch? Find(string method, string rawPath, out bool pathKnown)
    {
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        pathKnown = false;
        foreach (var route in DiscordRoutes.All)
        {
            var space = route.IndexOf(' ', StringComparison.Ordinal);
            var template = route[(space + 1)..].Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (Bind(template, segments) is not { } values)
            {
                continue;
            }

            pathKnown = true;
            if (route.AsSpan(0, space).Equals(method, StringComparison.OrdinalIgnoreCase))
            {
                return new RouteMatch(route, values);
            }
        }

        return null;
    }

    private static Dictionary<string, string>? Bind(string[] template, string[] segments)
    {
        if (template.Length != segments.Length)
        {
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i].StartsWith('{'))
            {
                values[template[i][1..^1]] = Uri.UnescapeDataString(segments[i]);
            }
            else if (template[i] != segments[i])
            {
                return null;
            }
        }

        return values;
    }
}
