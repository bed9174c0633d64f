using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>One HTTP answer of the fake: status, JSON body (or none) and extra headers.</summary>
internal sealed record RestResult(int Status, string? Body, IReadOnlyDictionary<string, string>? Headers = null, string ContentType = "application/json")
{
    public static RestResult NoContent { get; } = new(204, null);

    public static RestResult NotFound { get; } = Error(404, 0, "404: Not Found");

    public static RestResult MethodNotAllowed { get; } = Error(405, 0, "405: Method Not Allowed");

    public static RestResult Unauthorized { get; } = Error(401, 0, "401: Unauthorized");

    public static RestResult UnknownInteraction { get; } = Error(404, 10062, "Unknown interaction");

    public static RestResult AlreadyAcknowledged { get; } = Error(400, 40060, "Interaction has already been acknowledged.");

    public static RestResult InvalidWebhookToken { get; } = Error(401, 50027, "Invalid Webhook Token");

    public static RestResult UnknownWebhook { get; } = Error(404, 10015, "Unknown Webhook");

    public static RestResult UnknownMessage { get; } = Error(404, 10008, "Unknown Message");

    public static RestResult UnknownEmoji { get; } = Error(400, 10014, "Unknown Emoji");

    public static RestResult EmptyMessage { get; } = Error(400, 50006, "Cannot send an empty message");

    public static RestResult InvalidJson { get; } = Error(400, 50109, "The request body contains invalid JSON.");

    public static RestResult Json(JsonNode body, int status = 200) => new(status, DiscordJson.Write(body));

    /// <summary>Discord's error envelope: <c>{code, message, errors?}</c>.</summary>
    public static RestResult Error(int status, int code, string message, JsonObject? errors = null)
    {
        var body = new JsonObject { ["message"] = message, ["code"] = code };
        if (errors is not null)
        {
            body["errors"] = errors;
        }

        return Json(body, status);
    }

    public int? ErrorCode =>
        Status >= 400 && Body is not null && DiscordJson.TryParse(Body, out var node) && node is JsonObject obj
            ? (int?)DiscordJson.Integer(obj["code"])
            : null;
}

/// <summary>
/// Collects 50035 "Invalid Form Body" errors in Discord's nested shape: field paths become
/// objects, array indexes become keys, and each leaf holds <c>_errors:[{code,message}]</c>.
/// </summary>
internal sealed class FormErrors
{
    private readonly JsonObject _root = [];

    public bool Any => _root.Count > 0;

    /// <param name="path">Dot-separated, e.g. "embeds.0.fields.3.value"; empty for the body itself.</param>
    public void Add(string path, string code, string message)
    {
        var node = _root;
        foreach (var key in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node[key] is not JsonObject child)
            {
                child = [];
                node[key] = child;
            }

            node = child;
        }

        if (node["_errors"] is not JsonArray list)
        {
            list = [];
            node["_errors"] = list;
        }

        list.Add(new JsonObject { ["code"] = code, ["message"] = message });
    }

    public void TooLong(string path, int max) => Add(path, "BASE_TYPE_MAX_LENGTH", $"Must be {max} or fewer in length.");

    public void BadLength(string path, int min, int max) => Add(path, "BASE_TYPE_BAD_LENGTH", $"Must be between {min} and {max} in length.");

    public void Required(string path) => Add(path, "BASE_TYPE_REQUIRED", "This field is required");

    public void WrongType(string path, string expected) => Add(path, "BASE_TYPE_BAD_TYPE", $"Must be {expected}.");

    /// <summary>A field Discord's schema does not list; Discord would ignore it, the fake refuses it so typos surface.</summary>
    public void Unknown(string path) => Add(path, "FAKE_UNKNOWN_FIELD", "Not a field of this request (Discord would silently ignore it).");

    /// <summary>Refuses every key of <paramref name="obj"/> that <paramref name="fields"/> does not list.</summary>
    public void UnknownFields(JsonObject obj, IReadOnlySet<string> fields, string path)
    {
        var prefix = path.Length == 0 || path.EndsWith('.') ? path : path + ".";
        foreach (var (key, _) in obj)
        {
            if (!fields.Contains(key))
            {
                Unknown(prefix + key);
            }
        }
    }

    public RestResult ToResult() => RestResult.Error(400, 50035, "Invalid Form Body", (JsonObject)_root.DeepClone());
}
