using System.Net;
using System.Text.Json;
using SpotMirror.Http;

namespace SpotMirror.Http.Tests;

/// <summary>
/// The OpenAPI document stays clean under a standard linter's recommended rules (Redocly's: security on
/// every operation, no trailing slash on a server, a licence, described tags, a 4xx answer everywhere),
/// and the answers the framework gives outside the endpoints are problem details too.
/// </summary>
public sealed class HttpApiDocumentTests : IAsyncLifetime
{
    private ApiHost _host = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _host = await ApiHost.StartAsync(("Http:ApiKey", "a-key-long-enough-for-the-rule"));
        using var document = JsonDocument.Parse(await _host.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        _document = document.RootElement.Clone();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        _document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Name, op.Value)));

    [Fact]
    public void The_api_key_is_a_header_security_scheme()
    {
        var scheme = _document.GetProperty("components").GetProperty("securitySchemes").GetProperty(ApiDocument.KeyScheme);

        Assert.Equal(("apiKey", "header", HttpApiKeyRule.Header),
            (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("/users/{user}/feedback", "post", true)]
    [InlineData("/users/{user}", "delete", true)]
    [InlineData("/recommend/mood", "get", false)]
    [InlineData("/recommend/similar", "get", false)]
    [InlineData("/recommend/collaborative", "get", false)]
    [InlineData("/recommend", "get", false)]
    [InlineData("/popular", "get", false)]
    [InlineData("/users/{user}/profile", "get", false)]
    [InlineData("/health", "get", false)]
    public void Every_operation_declares_its_security_the_writes_the_key_and_the_reads_none(string path, string method, bool needsKey)
    {
        var security = _document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("security");

        var schemes = security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name)).ToList();
        Assert.Equal(needsKey ? [ApiDocument.KeyScheme] : [], schemes);
    }

    [Fact]
    public void No_operation_is_left_without_a_security_declaration() =>
        Assert.All(Operations(), op => Assert.True(op.Operation.TryGetProperty("security", out _), $"{op.Method} {op.Path} declares no security"));

    [Fact]
    public void Every_operation_has_a_4xx_answer() =>
        Assert.All(Operations(), op => Assert.Contains(
            op.Operation.GetProperty("responses").EnumerateObject(), r => r.Name.StartsWith('4')));

    [Fact]
    public void No_server_url_ends_in_a_slash() =>
        Assert.All(_document.GetProperty("servers").EnumerateArray(), s => Assert.False(s.GetProperty("url").GetString()!.EndsWith('/'), s.ToString()));

    [Fact]
    public void The_document_states_its_licence_and_describes_every_tag()
    {
        var license = _document.GetProperty("info").GetProperty("license");
        Assert.False(string.IsNullOrWhiteSpace(license.GetProperty("name").GetString()));
        Assert.True(license.TryGetProperty("identifier", out _) || license.TryGetProperty("url", out _));
        var tags = _document.GetProperty("tags").EnumerateArray().ToList();
        Assert.Equal(3, tags.Count);
        Assert.All(tags, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("description").GetString()), t.ToString()));
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Head_on_a_health_probe_answers_the_status_without_a_body(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(path, UriKind.Relative));
        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_too_long_address_is_a_414_with_problem_details()
    {
        using var response = await _host.Client.GetAsync(new Uri("/popular?tag=" + new string('a', 20_000), UriKind.Relative));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
        await AssertProblemAsync(response, "Address too long");
    }

    [Fact]
    public async Task Too_large_headers_are_a_431_with_problem_details()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/popular", UriKind.Relative));
        request.Headers.Add("X-Big", new string('a', 40_000));
        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        await AssertProblemAsync(response, "Headers too large");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string title)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
    }
}
