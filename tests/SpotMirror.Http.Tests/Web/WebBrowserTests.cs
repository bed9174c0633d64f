using System.Text.Json;
using OpenQA.Selenium;
using SpotMirror.Http.Web;

namespace SpotMirror.Http.Tests.Web;

/// <summary>The web app in a real headless Chromium, against the worker's real host and its console chat.</summary>
public sealed class WebBrowserTests(WebAppFixture app) : IClassFixture<WebAppFixture>
{
    private Browser B => app.Browser;

    [BrowserFact]
    public void A_visitor_picks_chill_and_sees_tracks()
    {
        B.Driver.Manage().Cookies.DeleteAllCookies();
        B.Driver.Navigate().GoToUrl($"{app.BaseUrl}/web");
        B.Wait(By.CssSelector("button.chip[value='chill']")).Click();

        var tracks = B.Wait(By.CssSelector("ol.tracks")).FindElements(By.CssSelector("li.track"));
        Assert.InRange(tracks.Count, 1, WebHandlers.ListSize);
        Assert.Contains("Chill for you", B.Driver.FindElement(By.Id("results-title")).Text, StringComparison.Ordinal);
        Assert.Contains("Sign in to react", B.Driver.PageSource, StringComparison.Ordinal);
        B.Screenshot("mood-phone", 390, 844);
        B.Screenshot("mood-desktop", 1280, 900);
    }

    [BrowserFact]
    public async Task Web_in_the_console_gives_a_link_that_signs_the_browser_in_as_that_person()
    {
        var link = await app.LinkForAsync("bea");
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/web/signin\?token=[A-Za-z0-9_-]{43}$", link);

        B.Driver.Navigate().GoToUrl(link);

        Assert.Contains("bea", B.Wait(By.CssSelector(".who-name")).Text, StringComparison.Ordinal);
        Assert.Equal("bea's taste", B.Driver.FindElement(By.TagName("h1")).Text);
        var cookie = B.Driver.Manage().Cookies.GetCookieNamed(WebHandlers.CookieName)!;
        Assert.True(cookie.IsHttpOnly);
        Assert.Equal("Lax", cookie.SameSite);
        Assert.DoesNotContain(app.Host.Logs.Lines, line => line.Text.Contains(link[(link.IndexOf('=') + 1)..], StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task A_heart_on_the_page_lands_in_the_preference_table_shows_in_the_console_profile_and_a_second_press_takes_it_back()
    {
        await app.SignInAsync("cleo");
        B.Driver.Navigate().GoToUrl($"{app.BaseUrl}/web?mood=chill");
        var first = B.Wait(By.CssSelector("li.track"));
        var artist = first.FindElement(By.CssSelector(".artist")).Text;
        var trackId = long.Parse(first.FindElement(By.CssSelector("input[name='track']")).GetAttribute("value")!, System.Globalization.CultureInfo.InvariantCulture);
        var heart = first.FindElement(By.CssSelector("button[value='❤️']"));

        heart.Click();
        B.WaitFor(() => heart.GetAttribute("aria-pressed") == "true", "the ❤️ button to show pressed");

        Assert.Equal(2.0, app.Scalar(Score, ("@name", "cleo"), ("@track", trackId)));
        var profile = await app.Console.SayAsync("/profile", line => line.StartsWith("Artists:", StringComparison.Ordinal));
        Assert.Contains(profile, line => line.StartsWith("Artists:", StringComparison.Ordinal) && line.Contains(artist, StringComparison.Ordinal));
        B.Screenshot("profile-source-list", 390, 844);

        heart.Click();
        B.WaitFor(() => heart.GetAttribute("aria-pressed") == "false", "the ❤️ button to show released");
        Assert.Null(app.Scalar(Score, ("@name", "cleo"), ("@track", trackId)));
    }

    [BrowserFact]
    public async Task Export_downloads_a_json_file_holding_the_reaction()
    {
        await app.SignInAsync("dora");
        B.Driver.Navigate().GoToUrl($"{app.BaseUrl}/web?mood=happy");
        var first = B.Wait(By.CssSelector("li.track"));
        var trackId = first.FindElement(By.CssSelector("input[name='track']")).GetAttribute("value");
        var heart = first.FindElement(By.CssSelector("button[value='❤️']"));
        heart.Click();
        B.WaitFor(() => heart.GetAttribute("aria-pressed") == "true", "the ❤️ button to show pressed");

        B.Driver.Navigate().GoToUrl($"{app.BaseUrl}/web/profile");
        B.Wait(By.CssSelector("figure.picture img"));
        B.Screenshot("profile-phone", 390, 1400);
        B.Screenshot("profile-desktop", 1280, 1100);
        B.Driver.FindElement(By.LinkText("Export my data")).Click();
        string? file = null;
        B.WaitFor(() => (file = Directory.GetFiles(B.Downloads, "spotmirror-*.json").FirstOrDefault()) is not null, "the export file to download");

        using var export = JsonDocument.Parse(await ReadWhenCompleteAsync(file!));
        var reaction = Assert.Single(export.RootElement.GetProperty("tables").GetProperty("active_reactions").EnumerateArray());
        Assert.Equal(("web", $"track:{trackId}", "❤"), (reaction.GetProperty("platform").GetString(), reaction.GetProperty("message_id").GetString(), reaction.GetProperty("emoji").GetString()));
        Assert.Equal("dora", export.RootElement.GetProperty("tables").GetProperty("users")[0].GetProperty("platform_user_id").GetString());
    }

    [BrowserFact]
    public async Task Forget_empties_the_profile_for_the_chat_too()
    {
        await app.SignInAsync("eve");
        B.Driver.Navigate().GoToUrl($"{app.BaseUrl}/web?mood=party");
        var heart = B.Wait(By.CssSelector("li.track button[value='👍']"));
        heart.Click();
        B.WaitFor(() => heart.GetAttribute("aria-pressed") == "true", "the 👍 button to show pressed");

        B.Driver.Navigate().GoToUrl($"{app.BaseUrl}/web/forget");
        B.Wait(By.CssSelector("input[name='confirm']")).Click();
        B.Driver.FindElement(By.CssSelector("form[action='/web/forget'] button[type='submit']")).Click();

        Assert.Equal("You are forgotten", B.Wait(By.TagName("h1"), h => h.Text.Contains("forgotten", StringComparison.Ordinal)).Text);
        Assert.Null(B.Driver.Manage().Cookies.GetCookieNamed(WebHandlers.CookieName));
        Assert.Null(app.Scalar("SELECT id FROM users WHERE platform = 'console' AND platform_user_id = 'eve'"));
        var profile = await app.Console.SayAsync("/profile", line => line.Contains("know your taste", StringComparison.Ordinal));
        Assert.Contains("I don't know your taste yet.", profile);
    }

    [BrowserFact]
    public async Task A_used_or_expired_link_is_refused_with_a_friendly_page()
    {
        var link = await app.LinkForAsync("finn");
        B.Driver.Navigate().GoToUrl(link);
        B.Wait(By.CssSelector(".who-name"));

        B.Driver.Navigate().GoToUrl(link);
        Assert.Equal("This link was used already", B.Wait(By.TagName("h1"), h => h.Text.Contains("link", StringComparison.Ordinal)).Text);

        var secret = WebSecrets.NewSecret();
        app.Execute(
            "INSERT INTO web_sign_in_tokens (token_hash, user_id, created_at, expires_at) SELECT @hash, id, 0, 1 FROM users WHERE platform_user_id = 'finn'",
            ("@hash", WebSecrets.Hash(secret)));
        B.Driver.Navigate().GoToUrl($"{app.BaseUrl}/web/signin?token={secret}");
        Assert.Equal("This link has expired", B.Wait(By.TagName("h1"), h => h.Text.Contains("link", StringComparison.Ordinal)).Text);
        Assert.Contains("Say /web in the chat again", B.Driver.PageSource, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", B.Driver.PageSource, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task A_write_without_the_csrf_token_is_refused()
    {
        await app.SignInAsync("gus");
        B.Driver.Navigate().GoToUrl($"{app.BaseUrl}/web?mood=chill");
        var trackId = B.Wait(By.CssSelector("li.track input[name='track']")).GetAttribute("value");

        var status = B.Driver.ExecuteAsyncScript(
            """
            const done = arguments[arguments.length - 1];
            fetch('/web/feedback', { method: 'POST', headers: { 'Accept': 'application/json' },
              body: new URLSearchParams({ track: arguments[0], emoji: '❤️' }) }).then(r => done(r.status));
            """, trackId!);

        Assert.Equal(403L, status);
        Assert.Equal(0.0, app.Scalar("SELECT COUNT(*) FROM feedback_events e JOIN users u ON u.id = e.user_id WHERE u.platform_user_id = 'gus'"));
    }

    private const string Score =
        "SELECT p.score FROM preferences p JOIN users u ON u.id = p.user_id WHERE u.platform = 'console' AND u.platform_user_id = @name AND p.track_id = @track";

    private static async Task<string> ReadWhenCompleteAsync(string path)
    {
        // Chromium writes to a .crdownload file and renames it when done; the final name appears complete.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await File.ReadAllTextAsync(path);
            }
            catch (IOException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }
}
