using System.Net;
using System.Text.RegularExpressions;
using SpotMirror.Chat;
using SpotMirror.Core.Ports;
using SpotMirror.Http.Web;

namespace SpotMirror.Http.Tests.Web;

/// <summary>The web app's endpoints over plain HTTP: sign-in, sessions, CSRF, and bad input of every kind.</summary>
public sealed partial class WebHttpTests(WebHttpTests.Host app) : IClassFixture<WebHttpTests.Host>
{
    public sealed class Host : IAsyncLifetime
    {
        public ApiHost Api { get; private set; } = null!;

        public async Task InitializeAsync() => Api = await ApiHost.StartAsync();

        public async Task DisposeAsync() => await Api.DisposeAsync();
    }

    [GeneratedRegex("name=\"csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    [Fact]
    public async Task A_link_signs_in_once_and_a_replayed_link_is_refused()
    {
        var link = await LinkAsync("http-ana");
        using var browser = Browser();
        using var page = await browser.Client.GetAsync(link);
        Assert.Contains("Signing you in", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var first = await PostAsync(browser.Client, "/web/signin", ("token", Token(link)));
        Assert.Equal((HttpStatusCode.Redirect, "/web/profile?welcome=1"), (first.StatusCode, first.Headers.Location?.ToString()));
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        using var again = await PostAsync(Browser().Client, "/web/signin", ("token", Token(link)));
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("This link was used already", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(app.Api.Logs.Lines, line => line.Text.Contains(Token(link), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("short", HttpStatusCode.BadRequest)]
    [InlineData("<script>alert(1)</script>AAAAAAAAAAAAAAAAAAAA", HttpStatusCode.BadRequest)]
    public async Task A_forged_or_malformed_link_is_refused_with_a_page(string token, HttpStatusCode expected)
    {
        using var opened = await app.Api.Client.GetAsync(new Uri($"/web/signin?token={Uri.EscapeDataString(token)}", UriKind.Relative));
        using var posted = await PostAsync(app.Api.Client, "/web/signin", ("token", token));

        foreach (var response in new[] { opened, posted })
        {
            Assert.Equal(expected, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("This link doesn't work", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_forged_link_of_the_right_shape_is_refused_when_posted()
    {
        // Opening it only shows the hand-off page (a lookup there would tell a guesser nothing new anyway); the post decides.
        using var posted = await PostAsync(app.Api.Client, "/web/signin", ("token", WebSecrets.NewSecret()));

        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("This link doesn't work", System.Net.WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_for_a_forgotten_user_counts_for_nothing_and_is_cleared()
    {
        using var browser = await SignedInAsync("http-forgotten");
        var userId = (await app.Api.Service<IUserDirectory>().FindAsync("console", "http-forgotten", CancellationToken.None))!.Value;
        await app.Api.Service<ITransactions>().RunAsync((unit, ct) => app.Api.Service<IUserDirectory>().ForgetAsync(unit, userId, ct), CancellationToken.None);

        using var profile = await browser.Client.GetAsync(new Uri("/web/profile", UriKind.Relative));
        var html = await profile.Content.ReadAsStringAsync();
        Assert.Contains("Sign in to see your taste", html, StringComparison.Ordinal);
        Assert.Contains(profile.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{WebHandlers.CookieName}=;", StringComparison.Ordinal));
        using var feedback = await PostAsync(browser.Client, "/web/feedback", ("track", "1"), ("emoji", "❤️"));
        Assert.Equal(HttpStatusCode.Unauthorized, feedback.StatusCode);
    }

    [Fact]
    public async Task Writes_need_the_sessions_csrf_token_and_the_same_origin()
    {
        using var browser = await SignedInAsync("http-csrf");
        var csrf = await CsrfAsync(browser.Client);
        using var missing = await PostAsync(browser.Client, "/web/feedback", ("track", "1"), ("emoji", "❤️"));
        using var wrong = await PostAsync(browser.Client, "/web/feedback", ("csrf", csrf[..^2] + "xx"), ("track", "1"), ("emoji", "❤️"));
        using var crossSite = await PostAsync(browser.Client, "/web/feedback", [("csrf", csrf), ("track", "1"), ("emoji", "❤️")], origin: "https://evil.example");
        using var right = await PostAsync(browser.Client, "/web/feedback", ("csrf", csrf), ("track", TrackId()), ("emoji", "❤️"));

        Assert.Equal(
            [HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Redirect],
            new[] { missing.StatusCode, wrong.StatusCode, crossSite.StatusCode, right.StatusCode });
        Assert.Contains("security token", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("emoji=%F0%9F%94%A5&track={track}", HttpStatusCode.BadRequest, "Unknown reaction")]
    [InlineData("emoji=%E2%9D%A4%EF%B8%8F&track=999999999", HttpStatusCode.BadRequest, "Unknown track")]
    [InlineData("emoji=%E2%9D%A4%EF%B8%8F&track=abc", HttpStatusCode.BadRequest, "Unknown track")]
    [InlineData("%%%=&&&", HttpStatusCode.BadRequest, "Unknown reaction")]
    public async Task Bad_feedback_forms_get_a_sentence_not_a_crash(string body, HttpStatusCode expected, string title)
    {
        using var browser = await SignedInAsync("http-bad");
        var csrf = await CsrfAsync(browser.Client);
        using var content = new StringContent($"csrf={csrf}&{body.Replace("{track}", TrackId(), StringComparison.Ordinal)}", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await browser.Client.PostAsync(new Uri("/web/feedback", UriKind.Relative), content);

        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(title, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_or_non_form_bodies_are_refused_with_a_page()
    {
        using var browser = await SignedInAsync("http-big");
        using var huge = new StringContent("csrf=x&track=1&emoji=" + new string('a', 200_000), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var tooBig = await browser.Client.PostAsync(new Uri("/web/feedback", UriKind.Relative), huge);
        using var json = new StringContent("{\"track\":1}", System.Text.Encoding.UTF8, "application/json");
        using var notAForm = await browser.Client.PostAsync(new Uri("/web/feedback", UriKind.Relative), json);
        var many = string.Join('&', Enumerable.Range(0, 100).Select(i => $"f{i}=1"));
        using var manyFields = new StringContent(many, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var tooMany = await browser.Client.PostAsync(new Uri("/web/feedback", UriKind.Relative), manyFields);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notAForm.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.All(new[] { tooBig, notAForm, tooMany }, r => Assert.Equal("text/html", r.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task Export_picture_and_take_back_need_a_session_and_work_with_one()
    {
        using var anonymousExport = await app.Api.Client.GetAsync(new Uri("/web/export", UriKind.Relative));
        using var anonymousPicture = await app.Api.Client.GetAsync(new Uri("/web/profile.png", UriKind.Relative));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (anonymousExport.StatusCode, anonymousPicture.StatusCode));

        using var browser = await SignedInAsync("http-export");
        var csrf = await CsrfAsync(browser.Client);
        (await PostAsync(browser.Client, "/web/feedback", ("csrf", csrf), ("track", TrackId()), ("emoji", "👍"))).Dispose();
        using var export = await browser.Client.GetAsync(new Uri("/web/export", UriKind.Relative));
        using var picture = await browser.Client.GetAsync(new Uri("/web/profile.png", UriKind.Relative));

        Assert.Equal("attachment", export.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("\"active_reactions\"", await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var png = await picture.Content.ReadAsByteArrayAsync();
        Assert.Equal(("image/png", (byte)0x89, (byte)'P'), (picture.Content.Headers.ContentType?.MediaType, png[0], png[1]));

        using var takeBack = await PostAsync(browser.Client, "/web/reactions/take-back",
            ("csrf", csrf), ("platform", "web"), ("chat", "web"), ("message", $"track:{TrackId()}"), ("emoji", "👍"), ("item", "1"));
        Assert.Equal(HttpStatusCode.Redirect, takeBack.StatusCode);
        var userId = (await app.Api.Service<IUserDirectory>().FindAsync("console", "http-export", CancellationToken.None))!.Value;
        Assert.Empty(await app.Api.Service<IPersonalRecords>().ActiveReactionsAsync(userId, CancellationToken.None));
    }

    [Fact]
    public async Task Signing_out_ends_the_session_on_the_server()
    {
        using var browser = await SignedInAsync("http-out");
        var csrf = await CsrfAsync(browser.Client);
        var stolen = browser.Cookies.GetCookies(app.Api.Client.BaseAddress!)[WebHandlers.CookieName]!.Value;

        (await PostAsync(browser.Client, "/web/signout", ("csrf", csrf))).Dispose();

        using var replay = new HttpRequestMessage(HttpMethod.Get, new Uri("/web/profile", UriKind.Relative));
        replay.Headers.Add("Cookie", $"{WebHandlers.CookieName}={stolen}");
        using var response = await app.Api.Client.SendAsync(replay);
        Assert.Contains("Sign in to see your taste", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/web", "What's the mood?")]
    [InlineData("/web?mood=chill", "Chill for you")]
    [InlineData("/web?mood=zzzzqqq", "I don't know the mood")]
    [InlineData("/web/similar?q=Nightcall", "Like Nightcall")]
    [InlineData("/web/similar?q=qqqqzzzz", "I don't know a track or artist")]
    [InlineData("/web/for-you", "Popular now")]
    [InlineData("/web/group", "Sign in to see your chats")]
    [InlineData("/web/profile", "Sign in to see your taste")]
    [InlineData("/web/no-such-page", "There's no such page")]
    [InlineData("/web/signin-help", "Why no password?")]
    public async Task Every_page_answers_a_visitor_in_html(string path, string expected)
    {
        using var response = await app.Api.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Suggestions_come_from_the_catalogue_as_one_types()
    {
        var names = await app.Api.GetJsonAsync<List<string>>("/web/suggest?q=nightc");
        var none = await app.Api.GetJsonAsync<List<string>>($"/web/suggest?q={new string('x', 300)}");

        Assert.Contains(names, n => n.StartsWith("Nightcall", StringComparison.Ordinal));
        Assert.Empty(none);
    }

    private async Task<string> LinkAsync(string person)
    {
        var userId = await app.Api.Service<ITransactions>().RunAsync(
            (unit, ct) => app.Api.Service<IUserDirectory>().ResolveAsync(unit, new ChatUser("console", person, person), ct), CancellationToken.None);
        return (await app.Api.Service<IWebSignInLinks>().IssueAsync(userId, CancellationToken.None)).ToString();
    }

    private static string Token(string link) => link[(link.IndexOf("token=", StringComparison.Ordinal) + 6)..];

    private async Task<CookieBrowser> SignedInAsync(string person)
    {
        var browser = Browser();
        using var response = await PostAsync(browser.Client, "/web/signin", ("token", Token(await LinkAsync(person))));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    private static async Task<string> CsrfAsync(HttpClient client) =>
        CsrfField().Match(await client.GetStringAsync(new Uri("/web/profile", UriKind.Relative))).Groups[1].Value;

    private string TrackId()
    {
        var catalog = app.Api.Service<Core.Recommender>().Catalog;
        return catalog[catalog.FindSeed("Nightcall")!.Items[0]].Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private CookieBrowser Browser() => new(app.Api.Client.BaseAddress!);

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, params (string Key, string Value)[] fields) =>
        PostAsync(client, path, fields, origin: null);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, (string Key, string Value)[] fields, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value))),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    /// <summary>An HTTP client that keeps cookies and does not follow redirects, like a browser the test can inspect.</summary>
    private sealed class CookieBrowser : IDisposable
    {
        public CookieBrowser(Uri baseAddress)
        {
            Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        }

        public CookieContainer Cookies { get; } = new();
        public HttpClient Client { get; }

        public void Dispose() => Client.Dispose();
    }
}
