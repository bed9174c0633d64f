using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using SpotMirror.Testing.Spotify;

namespace SpotMirror.Spotify.Tests;

/// <summary>The fake Spotify itself: it must check and answer the way Spotify does, or the client's tests prove nothing.</summary>
public sealed class FakeSpotifyTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private FakeSpotifyServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeSpotifyServer.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Theory]
    [InlineData(FakeSpotifyServer.DefaultClientId, FakeSpotifyServer.DefaultClientSecret, 200, null)]
    [InlineData(FakeSpotifyServer.DefaultClientId, "wrong", 400, "invalid_client")]
    [InlineData("someone-else", FakeSpotifyServer.DefaultClientSecret, 400, "invalid_client")]
    public async Task The_token_endpoint_grants_client_credentials_only_to_the_right_pair(string id, string secret, int status, string? error)
    {
        var (code, body) = await TokenAsync(id, secret);

        Assert.Equal(status, code);
        if (error is null)
        {
            Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
            Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
            Assert.StartsWith("BQ", body.GetProperty("access_token").GetString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(error, body.GetProperty("error").GetString());
        }
    }

    [Theory]
    [InlineData(null, "No token provided")]
    [InlineData("BQ-made-up", "Invalid access token")]
    public async Task The_web_api_wants_a_token_it_issued(string? token, string message)
    {
        var (code, body) = await GetAsync("/search?q=genre:jazz&type=track", token);

        Assert.Equal(401, code);
        Assert.Equal(message, body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_genre_search_pages_with_next_and_total_until_next_is_null()
    {
        var token = await GoodTokenAsync();

        var (_, first) = await GetAsync("/search?q=" + Uri.EscapeDataString("genre:\"jazz\"") + "&type=track&limit=2&offset=0", token);
        var (_, second) = await GetAsync("/search?q=" + Uri.EscapeDataString("genre:\"jazz\"") + "&type=track&limit=2&offset=2", token);

        var page = first.GetProperty("tracks");
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(["So What", "Aruarian Dance"], page.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Contains("offset=2", page.GetProperty("next").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("tracks").GetProperty("next").ValueKind);
        var naima = second.GetProperty("tracks").GetProperty("items")[0];
        Assert.Equal("Naima - Mono", naima.GetProperty("name").GetString());
        Assert.Equal("year", naima.GetProperty("album").GetProperty("release_date_precision").GetString());
        Assert.Equal("USAT20001403", naima.GetProperty("external_ids").GetProperty("isrc").GetString());
        Assert.Equal(JsonValueKind.Array, naima.GetProperty("artists").ValueKind);
    }

    [Theory]
    [InlineData("limit=51", "Invalid limit")]
    [InlineData("limit=0", "Invalid limit")]
    [InlineData("offset=1001", "Invalid offset")]
    [InlineData("type=album", "Missing parameter type")]
    public async Task A_search_outside_spotifys_bounds_is_refused(string parameter, string message)
    {
        var token = await GoodTokenAsync();
        var query = "q=genre:rock&type=track&" + parameter;
        if (parameter.StartsWith("type=", StringComparison.Ordinal)) query = "q=genre:rock&" + parameter;

        var (code, body) = await GetAsync("/search?" + query, token);

        Assert.Equal(400, code);
        Assert.Equal(message, body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Artists_come_fifty_at_most_with_genres_and_null_for_an_unknown_id()
    {
        var token = await GoodTokenAsync();
        var miles = _fake.World.Tracks.Single(t => t.Name == "So What").Artists[0];

        var (ok, body) = await GetAsync($"/artists?ids={miles.Id},0000000000000000000000", token);
        var (tooMany, _) = await GetAsync("/artists?ids=" + string.Join(',', Enumerable.Repeat(miles.Id, 51)), token);

        Assert.Equal(200, ok);
        var artists = body.GetProperty("artists");
        Assert.Equal(["cool jazz", "jazz", "hard bop"], artists[0].GetProperty("genres").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(JsonValueKind.Null, artists[1].ValueKind);
        Assert.Equal(400, tooMany);
    }

    [Fact]
    public async Task Scripted_faults_play_once_each_in_spotifys_own_shapes()
    {
        var token = await GoodTokenAsync();
        _fake.FailNext("search", SpotifyFault.RateLimited(7));
        _fake.FailNext("search", SpotifyFault.ServerError(503));
        _fake.FailNext("search", SpotifyFault.MalformedJson);

        using var limited = await SendAsync("/search?q=genre:jazz&type=track", token);
        var (server, _) = await GetAsync("/search?q=genre:jazz&type=track", token);
        using var malformed = await SendAsync("/search?q=genre:jazz&type=track", token);
        var (well, _) = await GetAsync("/search?q=genre:jazz&type=track", token);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), limited.Headers.RetryAfter?.Delta);
        Assert.Equal(503, server);
        Assert.Equal(HttpStatusCode.OK, malformed.StatusCode);
        var cut = await malformed.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(cut));
        Assert.Equal(200, well);
    }

    [Fact]
    public async Task An_expired_token_stays_expired_and_a_new_one_works()
    {
        var token = await GoodTokenAsync();
        _fake.FailNext("track", SpotifyFault.TokenExpired);
        var id = _fake.World.Tracks[0].Id;

        var (expired, body) = await GetAsync("/tracks/" + id, token);
        var (again, _) = await GetAsync("/tracks/" + id, token);
        var (fresh, track) = await GetAsync("/tracks/" + id, await GoodTokenAsync());

        Assert.Equal((401, 401, 200), (expired, again, fresh));
        Assert.Equal("The access token expired", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(id, track.GetProperty("id").GetString());
    }

    private async Task<string> GoodTokenAsync() =>
        (await TokenAsync(_fake.ClientId, _fake.ClientSecret)).Body.GetProperty("access_token").GetString()!;

    private async Task<(int Status, JsonElement Body)> TokenAsync(string id, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _fake.AccountsBaseUrl + "/api/token")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "client_credentials")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(id + ":" + secret)));
        using var response = await Http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task<HttpResponseMessage> SendAsync(string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _fake.ApiBaseUrl + path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await Http.SendAsync(request);
    }

    private async Task<(int Status, JsonElement Body)> GetAsync(string path, string? token)
    {
        using var response = await SendAsync(path, token);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
