using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>One HTTP answer of the fake: status, body text and content type.</summary>
internal sealed record ApiResult(int Status, string Body, string ContentType = "application/json")
{
    // Emoji and other non-ASCII text stay readable in recorded bodies and scripted updates.
    internal static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ApiResult Ok(JsonNode result) => OkRaw(result.ToJsonString(Json));

    /// <summary>Success around result text used verbatim, so a scripted malformed update reaches the client as written.</summary>
    public static ApiResult OkRaw(string resultJson) => new(200, "{\"ok\":true,\"result\":" + resultJson + "}");

    public static ApiResult Error(int errorCode, string description, JsonObject? parameters = null)
    {
        var body = new JsonObject
        {
            ["ok"] = false,
            ["error_code"] = errorCode,
            ["description"] = description,
        };
        if (parameters is not null)
        {
            body["parameters"] = parameters;
        }

        return new(errorCode, body.ToJsonString(Json));
    }

    public static ApiResult BadRequest(string reason) => Error(400, "Bad Request: " + reason);

    public static ApiResult Unauthorized { get; } = Error(401, "Unauthorized");

    public static ApiResult NotFound { get; } = Error(404, "Not Found");
}
