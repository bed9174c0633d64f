using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using SpotMirror.Testing.Discord;

namespace SpotMirror.Discord.Tests.FakeServer;

/// <summary>A bare HTTP client for testing the fake's REST side with exactly the headers a test chooses.</summary>
internal sealed class RestScript : IDisposable
{
    public const string UserAgent = "DiscordBot (https://github.com/spotmirror, 1.0)";

    private readonly HttpClient _http = new();
    private readonly FakeDiscordServer _fake;

    public RestScript(FakeDiscordServer fake)
    {
        _fake = fake;
    }

    public async Task<Answer> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? token = null, string? userAgent = UserAgent, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(_fake.ApiBaseUrl + path));
        if ((token ?? _fake.Token) is { Length: > 0 } bot)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", bot);
        }

        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var json = response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0 ? JsonNode.Parse(text) : null;
        return new Answer(response.StatusCode, json, headers);
    }

    public Task<Answer> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body);

    public Task<Answer> PatchAsync(string path, JsonNode body) => SendAsync(HttpMethod.Patch, path, body);

    public Task<Answer> PutAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Put, path, body);

    public Task<Answer> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<Answer> CallbackAsync(ScriptedInteraction interaction, int type, JsonObject? data = null, bool withResponse = false)
    {
        var body = new JsonObject { ["type"] = type };
        if (data is not null)
        {
            body["data"] = data;
        }

        return PostAsync($"/interactions/{interaction.Id}/{interaction.Token}/callback{(withResponse ? "?with_response=true" : "")}", body);
    }

    /// <summary>Legacy action rows of secondary buttons with custom ids "b{row}-{button}".</summary>
    public static JsonArray ButtonRows(int rows, int buttons)
    {
        var array = new JsonArray();
        for (var r = 0; r < rows; r++)
        {
            var row = new JsonArray();
            for (var b = 0; b < buttons; b++)
            {
                row.Add(new JsonObject { ["type"] = 2, ["style"] = 2, ["label"] = $"{b + 1}", ["custom_id"] = $"b{r}-{b}" });
            }

            array.Add(new JsonObject { ["type"] = 1, ["components"] = row });
        }

        return array;
    }

    public void Dispose() => _http.Dispose();

    internal sealed record Answer(HttpStatusCode Status, JsonNode? Body, IReadOnlyDictionary<string, string> Headers)
    {
        public int Code => Body?["code"]?.GetValue<int>() ?? -1;

        public JsonObject Json => Body?.AsObject() ?? throw new InvalidOperationException("The answer had no body.");
    }
}
