using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace SpotMirror.Testing.Discord;

/// <summary>What each REST route does once the request has passed the checks every route shares.</summary>
internal sealed class RestRoutes(
    Func<JsonObject> gatewayBot,
    CommandRegistry commands,
    InteractionBook interactions,
    MessageBook messages,
    OwnReactions reactions)
{
    public static bool TakesBody(string route) => route is DiscordRoutes.PutGlobalCommands or DiscordRoutes.PutGuildCommands
        or DiscordRoutes.InteractionCallback or DiscordRoutes.EditOriginal or DiscordRoutes.CreateFollowup
        or DiscordRoutes.EditFollowup or DiscordRoutes.CreateMessage;

    public RestResult Run(RouteMatch match, IQueryCollection query, JsonNode? body) => match.Route switch
    {
        DiscordRoutes.GetGatewayBot => RestResult.Json(gatewayBot()),
        DiscordRoutes.GetGlobalCommands => commands.List(match["application_id"], guildId: null),
        DiscordRoutes.PutGlobalCommands => commands.Overwrite(match["application_id"], guildId: null, body),
        DiscordRoutes.GetGuildCommands => commands.List(match["application_id"], match["guild_id"]),
        DiscordRoutes.PutGuildCommands => commands.Overwrite(match["application_id"], match["guild_id"], body),
        DiscordRoutes.InteractionCallback => interactions.Callback(
            match["interaction_id"], match["interaction_token"], IsTrue(query["with_response"]), body),
        DiscordRoutes.GetOriginal => interactions.GetOriginal(match["application_id"], match["interaction_token"]),
        DiscordRoutes.EditOriginal => interactions.EditOriginal(match["application_id"], match["interaction_token"], body),
        DiscordRoutes.DeleteOriginal => interactions.DeleteOriginal(match["application_id"], match["interaction_token"]),
        DiscordRoutes.CreateFollowup => interactions.CreateFollowup(match["application_id"], match["interaction_token"], body),
        DiscordRoutes.EditFollowup => interactions.EditFollowup(match["application_id"], match["interaction_token"], match["message_id"], body),
        DiscordRoutes.DeleteFollowup => interactions.DeleteFollowup(match["application_id"], match["interaction_token"], match["message_id"]),
        DiscordRoutes.CreateMessage => CreateMessage(match["channel_id"], body),
        DiscordRoutes.AddOwnReaction => reactions.Add(match["channel_id"], match["message_id"], match["emoji"]),
        DiscordRoutes.DeleteOwnReaction => reactions.Remove(match["channel_id"], match["message_id"], match["emoji"]),
        _ => RestResult.NotFound,
    };

    private RestResult CreateMessage(string channelId, JsonNode? body)
    {
        if (!DiscordJson.IsSnowflake(channelId))
        {
            var errors = new FormErrors();
            errors.Add("channel_id", "NUMBER_TYPE_COERCE", $"Value \"{channelId}\" is not snowflake.");
            return errors.ToResult();
        }

        if (body is not JsonObject message)
        {
            var errors = new FormErrors();
            errors.WrongType(string.Empty, "a JSON object");
            return errors.ToResult();
        }

        return MessageRules.Check(message, MessageBodyKind.ChannelMessage) ?? messages.CreateInChannel(channelId, message);
    }

    private static bool IsTrue(string? value) =>
        value is not null && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");
}
