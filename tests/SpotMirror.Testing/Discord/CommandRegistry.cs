using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>The application's global and guild commands, replaced wholesale by bulk overwrites.</summary>
internal sealed class CommandRegistry(FakeDiscordOptions options, Snowflakes ids, RecordedLog<CommandRegistration> log)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonArray> _byScope = new(StringComparer.Ordinal);

    // Discord keeps a command's id when an overwrite carries the same name and type again.
    private readonly Dictionary<(string Scope, long Type, string Name), string> _ids = [];

    public static RestResult NotYourApplication { get; } = RestResult.Error(403, 20012, "You are not authorized to perform this action on this application");

    public static RestResult MissingAccess { get; } = RestResult.Error(403, 50001, "Missing Access");

    public RestResult Overwrite(string applicationId, string? guildId, JsonNode? body)
    {
        if (Refusal(applicationId, guildId) is { } refused)
        {
            return refused;
        }

        if (body is not JsonArray commands)
        {
            var errors = new FormErrors();
            errors.WrongType(string.Empty, "an array of commands");
            return body is null ? RestResult.InvalidJson : errors.ToResult();
        }

        var problems = CommandRules.Check(commands);
        if (problems.Any)
        {
            return problems.ToResult();
        }

        var scope = guildId ?? string.Empty;
        var stored = new JsonArray();
        lock (_gate)
        {
            foreach (var command in commands.Cast<JsonObject>())
            {
                stored.Add(Echo(command, scope, guildId));
            }

            _byScope[scope] = stored;
        }

        log.Add(new CommandRegistration(guildId, (JsonArray)stored.DeepClone(), options.Clock.GetUtcNow()));
        return RestResult.Json(stored.DeepClone());
    }

    public RestResult List(string applicationId, string? guildId)
    {
        if (Refusal(applicationId, guildId) is { } refused)
        {
            return refused;
        }

        lock (_gate)
        {
            return RestResult.Json(_byScope.TryGetValue(guildId ?? string.Empty, out var stored) ? stored.DeepClone() : new JsonArray());
        }
    }

    /// <summary>The id of a registered chat-input command, guild commands first; a stable made-up id otherwise.</summary>
    public string IdOf(string name, string? guildId)
    {
        lock (_gate)
        {
            foreach (var scope in guildId is null ? [string.Empty] : (string[])[guildId, string.Empty])
            {
                if (_ids.TryGetValue((scope, 1, name), out var id))
                {
                    return id;
                }
            }

            return Remember(("unregistered", 1, name));
        }
    }

    public bool IsGuildCommand(string name, string guildId)
    {
        lock (_gate)
        {
            return _byScope.TryGetValue(guildId, out var stored)
                && stored.Any(c => c is JsonObject o && DiscordJson.String(o, "name") == name);
        }
    }

    private RestResult? Refusal(string applicationId, string? guildId) =>
        applicationId != options.ApplicationId ? NotYourApplication
        : guildId is not null && guildId != options.GuildId ? MissingAccess
        : null;

    // Caller holds _gate.
    private JsonObject Echo(JsonObject command, string scope, string? guildId)
    {
        var type = DiscordJson.Integer(command["type"]) ?? 1;
        var name = DiscordJson.String(command, "name")!;
        var permissions = command["default_member_permissions"] is JsonValue p
            ? (DiscordJson.Integer(p) is { } bits ? bits.ToString(CultureInfo.InvariantCulture) : p.GetValue<string>())
            : null;
        var echo = new JsonObject
        {
            ["id"] = Remember((scope, type, name)),
            ["application_id"] = options.ApplicationId,
            ["version"] = ids.Next(),
            ["default_member_permissions"] = permissions,
            ["type"] = type,
            ["name"] = name,
            ["name_localizations"] = DiscordJson.Clone(command["name_localizations"]),
            ["description"] = DiscordJson.String(command, "description") ?? string.Empty,
            ["description_localizations"] = DiscordJson.Clone(command["description_localizations"]),
            ["contexts"] = DiscordJson.Clone(command["contexts"]),
            ["integration_types"] = DiscordJson.Clone(command["integration_types"]) ?? new JsonArray(0),
            ["nsfw"] = DiscordJson.Boolean(command["nsfw"]) ?? false,
        };
        if (guildId is not null)
        {
            echo["guild_id"] = guildId;
        }

        if (command["options"] is JsonArray { Count: > 0 } commandOptions)
        {
            echo["options"] = commandOptions.DeepClone();
        }

        return echo;
    }

    // Caller holds _gate.
    private string Remember((string Scope, long Type, string Name) key)
    {
        if (!_ids.TryGetValue(key, out var id))
        {
            id = ids.Next();
            _ids[key] = id;
        }

        return id;
    }
}
