using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SpotMirror.Testing.Spotify;
using SpotMirror.Worker.ConsoleChat;

namespace SpotMirror.Http.Tests.Web;

/// <summary>
/// /link spotify through the worker's real host and Kestrel against the fake Spotify: the chat's private
/// link, the web sign-in, the authorization with PKCE, the callback's import; then /unlink spotify.
/// </summary>
public sealed class SpotifyLinkEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly ConsoleDriver _console = new();
    private FakeSpotifyServer _spotify = null!;
    private ApiHost _host = null!;
    private FakeSpotifyUser _ana = null!;

    public async Task InitializeAsync()
    {
        var world = SpotifyWorld.Sample();
        var queen = new FakeArtist("Queen", ["rock"], 85);
        var band = new FakeArtist("The Paging Band", ["indie"], 40);
        // "Bohemian Rhapsody" is in the starter catalogue: the import must find it by name, not add it again.
        var rhapsody = world.Add(new FakeSpotifyTrack("Bohemian Rhapsody - Remastered 2011", [queen], new FakeAlbum("A Night at the Opera", "1975-11-21"), 80, "GBUM71029604"));
        var saved = Enumerable.Range(1, 55).Select(i => world.Add(new FakeSpotifyTrack($"Song Number {i}", [band], new FakeAlbum("Pages", "2020"), 30, null))).ToList();
        _ana = new FakeSpotifyUser("ana.spotify", "Ana", [rhapsody, saved[0], saved[1]], saved);
        _spotify = await FakeSpotifyServer.StartAsync(world);
        _spotify.SignedIn = _ana;
        _host = await ApiHost.StartAsync(services =>
        {
            services.AddSingleton(new ConsoleChatSettings("ana", _console.Input, _console.Output, Interactive: false));
            services.AddHostedService<ConsoleChatService>();
        },
            ("Spotify:ClientId", _spotify.ClientId), ("Spotify:ClientSecret", _spotify.ClientSecret),
            ("Spotify:ApiBaseUrl", _spotify.ApiBaseUrl), ("Spotify:AccountsBaseUrl", _spotify.AccountsBaseUrl),
            ("Spotify:RetryBaseSeconds", "0"), ("Linking:LovedTracks", "70"));
    }

    public async Task DisposeAsync()
    {
        _console.Close();
        await _host.DisposeAsync();
        await _spotify.DisposeAsync();
    }

    public void Dispose() => _console.Dispose();

    [Fact]
    public async Task Linking_spotify_from_the_chat_imports_top_and_saved_tracks_and_unlinking_takes_back_exactly_them()
    {
        var before = Count("SELECT COUNT(*) FROM tracks");
        // The access token dies while the saved tracks are being paged: the refresh token renews it and the import goes on.
        _spotify.FailNext("saved", SpotifyFault.TokenExpired, when: r => r["offset"] == "50");

        var page = await LinkThroughTheWebAsync("/link spotify");

        Assert.Contains("Spotify is linked", page, StringComparison.Ordinal);
        Assert.Contains("56 track(s) from Spotify account ana.spotify (3 top, 55 saved)", page, StringComparison.Ordinal);
        Assert.Equal(56, Count("SELECT COUNT(*) FROM imported_preferences WHERE service = 'spotify'"));
        Assert.Equal(before + 55, Count("SELECT COUNT(*) FROM tracks"));
        Assert.Equal(1, Count(
            "SELECT COUNT(*) FROM imported_preferences ip JOIN tracks t ON t.id = ip.track_id WHERE t.title = 'Bohemian Rhapsody' AND ip.service = 'spotify'"));
        var renewed = _spotify.Requests.Where(r => r.Route == "saved" && r["offset"] == "50").ToList();
        Assert.Equal(2, renewed.Count);
        Assert.NotEqual(renewed[0].Token, renewed[1].Token);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM provider_tokens WHERE provider = 'spotify'"));

        var unlinked = await _console.SayAsync("/unlink spotify", line => line.Contains("Your reactions here stay", StringComparison.Ordinal));

        Assert.Contains(unlinked, line => line.Contains("Unlinked Spotify user ana.spotify: its 56 imported track(s) no longer count.", StringComparison.Ordinal));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM imported_preferences"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM linked_accounts"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM provider_tokens"));
    }

    [Fact]
    public async Task No_token_spotify_gave_can_be_read_in_the_database_files()
    {
        await LinkThroughTheWebAsync("/link spotify");

        Assert.NotEmpty(_spotify.PersonalTokens);
        var folder = Path.GetDirectoryName(_host.Db.Path)!;
        var bytes = Directory.GetFiles(folder, "spotmirror.db*").Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(bytes);
        foreach (var token in _spotify.PersonalTokens)
        {
            var needle = Encoding.UTF8.GetBytes(token);
            Assert.All(bytes, file => Assert.Equal(-1, file.AsSpan().IndexOf(needle)));
        }
        Assert.True(Directory.Exists(Path.Combine(folder, "keys")), "The key ring lives beside the database, not in it.");
    }

    [Fact]
    public async Task A_callback_signed_in_as_someone_else_is_refused_and_imports_nothing()
    {
        var (client, authorize) = await StartLinkAsync("/link spotify");
        var back = await FollowAsync(client, authorize);
        using var other = NewBrowser();
        await SignInAsync(other, await PrivateLinkAsync("/web", "bo"));

        using var response = await other.GetAsync(back);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM imported_preferences"));
        using var again = await client.GetAsync(back);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        client.Dispose();
    }

    /// <summary>Says the command, follows its private link like a browser, and returns the callback's page.</summary>
    private async Task<string> LinkThroughTheWebAsync(string command)
    {
        var (client, authorize) = await StartLinkAsync(command);
        using (client)
        {
            var back = await FollowAsync(client, authorize);
            using var done = await client.GetAsync(back);
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
            return WebUtility.HtmlDecode(await done.Content.ReadAsStringAsync());
        }
    }

    private async Task<(HttpClient Client, Uri Authorize)> StartLinkAsync(string command)
    {
        var client = NewBrowser();
        var link = await PrivateLinkAsync(command, "ana");
        Assert.Contains("&next=%2Fweb%2Flink%2Fspotify", link, StringComparison.Ordinal);
        var landed = await SignInAsync(client, link);
        Assert.Equal("/web/link/spotify", landed);
        var page = await client.GetStringAsync(new Uri(landed, UriKind.Relative));
        using var begin = await client.PostAsync(new Uri(landed, UriKind.Relative),
            new FormUrlEncodedContent([KeyValuePair.Create("csrf", Field(page, "csrf"))]));
        Assert.Equal(HttpStatusCode.Redirect, begin.StatusCode);
        var authorize = begin.Headers.Location!;
        Assert.StartsWith(_spotify.AccountsBaseUrl + "/authorize?", authorize.ToString(), StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorize.Query, StringComparison.Ordinal);
        Assert.Contains("scope=user-top-read%20user-library-read", authorize.Query, StringComparison.Ordinal);
        return (client, authorize);
    }

    /// <summary>The fake Spotify's answer to /authorize: a redirect back to SpotMirror's callback with code and state.</summary>
    private static async Task<Uri> FollowAsync(HttpClient client, Uri authorize)
    {
        using var answer = await client.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var back = answer.Headers.Location!;
        Assert.Contains("/web/link/spotify/callback?code=", back.ToString(), StringComparison.Ordinal);
        return back;
    }

    private async Task<string> PrivateLinkAsync(string command, string person)
    {
        await _console.SayAsync($":as {person}", line => line.Contains($"now speaking as {person}", StringComparison.Ordinal));
        var printed = await _console.SayAsync(command, line => line.Contains("/web/signin?token=", StringComparison.Ordinal));
        return printed.Single(line => line.Contains("/web/signin?token=", StringComparison.Ordinal)).Trim();
    }

    /// <summary>Opens the sign-in page and posts its form as the page's script would; returns where it sends the browser.</summary>
    private static async Task<string> SignInAsync(HttpClient client, string link)
    {
        var page = await client.GetStringAsync(new Uri(link));
        var form = new List<KeyValuePair<string, string>> { KeyValuePair.Create("token", Field(page, "token")) };
        if (page.Contains("name=\"next\"", StringComparison.Ordinal)) form.Add(KeyValuePair.Create("next", WebUtility.HtmlDecode(Field(page, "next"))));
        using var signedIn = await client.PostAsync(new Uri(new Uri(link), "/web/signin"), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return signedIn.Headers.Location!.ToString();
    }

    private HttpClient NewBrowser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = _host.Client.BaseAddress };

    private static string Field(string html, string name) =>
        Regex.Match(html, $"name=\"{name}\" value=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"No {name} field in the page.");

    private long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_host.Db.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
