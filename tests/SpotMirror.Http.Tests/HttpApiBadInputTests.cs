using System.Net;
using System.Text;
using System.Text.Json;

namespace SpotMirror.Http.Tests;

/// <summary>Every bad input gets an RFC 9457 problem: the right status, a title, and a detail that says what would work.</summary>
public sealed class HttpApiBadInputTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly ApiHost _host = fixture.Host;

    [Theory]
    [InlineData("/recommend/group", 400, "Missing users", "users is required")]
    [InlineData("/recommend/group?users=,,", 400, "Bad group", "1 to 20 members")]
    [InlineData("/recommend/group?users=a,b&strategy=dictator", 400, "Unknown strategy", "fair (the default)")]
    [InlineData("/recommend/group?users=a,b&mood=zzqx", 400, "Unknown mood", "Moods: happy, sad, chill")]
    [InlineData("/recommend/mood", 400, "Missing mood", "mood is required")]
    [InlineData("/recommend/mood?mood=%20", 400, "Missing mood", "mood is required")]
    [InlineData("/recommend/mood?mood=zzqx", 400, "Unknown mood", "Moods: happy, sad, chill")]
    [InlineData("/recommend/mood?mood=chil", 400, "Unknown mood", "Did you mean chill?")]
    [InlineData("/recommend/mood?mood=chill&top=0", 400, "top out of range", "from 1 to 50")]
    [InlineData("/recommend/mood?mood=chill&top=51", 400, "top out of range", "from 1 to 50")]
    [InlineData("/recommend/mood?mood=chill&top=-3", 400, "top out of range", "from 1 to 50")]
    [InlineData("/recommend/mood?mood=chill&top=five", 400, "top out of range", "got \"five\"")]
    [InlineData("/recommend/similar", 400, "Missing song", "song is required")]
    [InlineData("/recommend/similar?song=qwxz%20vbnk", 404, "Unknown song", "No track or artist in the catalogue matches \"qwxz vbnk\"")]
    [InlineData("/recommend/similar?song=999999", 404, "Unknown song", "\"999999\"")]
    [InlineData("/recommend/similar?song=Nightcall&top=100", 400, "top out of range", "from 1 to 50")]
    [InlineData("/recommend/collaborative", 400, "Missing user", "user is required")]
    [InlineData("/recommend/collaborative?user=ana&top=0", 400, "top out of range", "from 1 to 50")]
    [InlineData("/recommend?top=1.5", 400, "top out of range", "from 1 to 50")]
    [InlineData("/popular?tag=nosuchtagatall", 404, "Unknown tag", "No track in the catalogue is tagged \"nosuchtagatall\"")]
    [InlineData("/popular?top=99", 400, "top out of range", "from 1 to 50")]
    [InlineData("/users/never-seen/profile", 404, "Unknown user", "Nothing is stored about \"never-seen\"")]
    [InlineData("/no/such/endpoint", 404, "Not Found", "/docs")]
    public async Task A_bad_query_gets_a_problem(string path, int status, string title, string detail)
    {
        using var response = await _host.Client.GetAsync(new Uri(path, UriKind.Relative));

        await AssertProblemAsync(response, status, title, detail);
    }

    [Fact]
    public async Task An_unknown_mood_lists_the_moods_as_data_too()
    {
        using var response = await _host.Client.GetAsync(new Uri("/recommend/mood?mood=zzqx", UriKind.Relative));

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var moods = problem.RootElement.GetProperty("moods").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Equal(["happy", "sad", "chill", "energetic", "angry", "romantic", "melancholic", "party", "focus"], moods);
    }

    [Fact]
    public async Task An_unknown_song_offers_the_closest_names()
    {
        using var response = await _host.Client.GetAsync(new Uri("/recommend/similar?song=Nightcal%20Kavinsky%20remix%20edit", UriKind.Relative));

        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("Kavinsky", problem.RootElement.GetProperty("suggestions").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData("", 400, "Bad Request", "JSON body")]
    [InlineData("null", 400, "Bad Request", "JSON body")]
    [InlineData("{\"trackId\": \"12\", \"signal\": \"like\"}", 400, "Bad Request", "JSON body")]
    [InlineData("{", 400, "Bad Request", "JSON body")]
    [InlineData("{\"trackId\": \"twelve\", \"signal\": \"like\"}", 400, "Bad Request", "JSON body")]
    [InlineData("{\"track\": \"Nightcall\"}", 400, "Missing signal", "like, love, dislike, skip")]
    [InlineData("{\"track\": \"Nightcall\", \"signal\": \"meh\"}", 400, "Unknown signal", "\"meh\" is not a signal")]
    [InlineData("{\"signal\": \"like\"}", 400, "Missing trackId or track", "Say which track")]
    [InlineData("{\"trackId\": 1, \"track\": \"Nightcall\", \"signal\": \"like\"}", 400, "Two tracks given", "not both")]
    [InlineData("{\"trackId\": 999999, \"signal\": \"like\"}", 404, "Unknown song", "No track has id 999999")]
    [InlineData("{\"track\": \"qwxz vbnk\", \"signal\": \"like\"}", 404, "Unknown song", "\"qwxz vbnk\"")]
    [InlineData("{\"track\": \"Nightcal\", \"signal\": \"like\"}", 404, "Unknown song", "Did you mean \"Nightcall - Kavinsky\"?")]
    [InlineData("{\"track\": \"Daft Punk\", \"signal\": \"like\"}", 400, "An artist, not a track", "Name one of their tracks")]
    public async Task A_bad_feedback_body_gets_a_problem_and_stores_nothing(string body, int status, string title, string detail)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _host.Client.PostAsync(new Uri("/users/bad-body/feedback", UriKind.Relative), content);

        await AssertProblemAsync(response, status, title, detail);
        using var profile = await _host.Client.GetAsync(new Uri("/users/bad-body/profile", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
    }

    [Fact]
    public async Task Feedback_that_is_not_json_gets_a_problem()
    {
        using var content = new StringContent("track=Nightcall&signal=like", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await _host.Client.PostAsync(new Uri("/users/form-user/feedback", UriKind.Relative), content);

        await AssertProblemAsync(response, 415, "Unsupported Media Type", "JSON body");
    }

    [Fact]
    public async Task An_over_long_idempotency_key_gets_a_problem()
    {
        using var response = await _host.PostFeedbackAsync("long-key", new { track = "Nightcall", signal = "like" }, idempotencyKey: new string('k', 201));

        await AssertProblemAsync(response, 400, "Idempotency-Key too long", "at most 200 characters");
    }

    [Fact]
    public async Task Forgetting_an_unknown_user_is_a_404()
    {
        using var response = await _host.Client.DeleteAsync(new Uri("/users/never-was", UriKind.Relative));

        await AssertProblemAsync(response, 404, "Unknown user", "Nothing is stored about \"never-was\"");
    }

    [Fact]
    public async Task A_method_an_endpoint_does_not_take_gets_a_problem()
    {
        using var response = await _host.Client.PutAsync(new Uri("/health", UriKind.Relative), null);

        await AssertProblemAsync(response, 405, "Method Not Allowed", "does not take PUT");
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, int status, string title, string detail)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
