using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using SpotMirror.Http;

namespace SpotMirror.Http.Tests;

/// <summary>
/// Writes (feedback, forget) need the API key when one is configured; with none, they are open on
/// loopback and refused anywhere else. Reads never need it. The rule is a table; the hosts prove the wiring.
/// </summary>
public sealed class HttpApiKeyTests
{
    private const string Key = "a-long-enough-test-key-0123";

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://127.8.9.10:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://LOCALHOST:0", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://[::]:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://192.168.1.20:5080", false)]
    [InlineData("http://music.example.org:80", false)]
    [InlineData("http://unix:/run/spotmirror.sock", false)]
    [InlineData("not an address", false)]
    public void Only_loopback_addresses_count_as_loopback(string url, bool loopback) =>
        Assert.Equal(loopback, HttpApiKeyRule.IsLoopback(url));

    [Theory]
    [InlineData("http://127.0.0.1:5080", null, WriteAccess.Open)]
    [InlineData("http://127.0.0.1:5080;http://[::1]:5080", "", WriteAccess.Open)]
    [InlineData("http://127.0.0.1:5080", Key, WriteAccess.KeyRequired)]
    [InlineData("http://0.0.0.0:5080", Key, WriteAccess.KeyRequired)]
    [InlineData("http://0.0.0.0:5080", null, WriteAccess.Refused)]
    [InlineData("http://127.0.0.1:5080;http://192.168.1.20:5080", "  ", WriteAccess.Refused)]
    public void Write_access_follows_the_addresses_and_the_key(string urls, string? key, WriteAccess expected) =>
        Assert.Equal(expected, HttpApiKeyRule.Decide(new HttpOptions { Urls = urls }.ListenUrls(), key));

    [Theory]
    [InlineData(WriteAccess.Open, null, null, KeyVerdict.Allowed)]
    [InlineData(WriteAccess.Open, null, "anything", KeyVerdict.Allowed)]
    [InlineData(WriteAccess.KeyRequired, Key, Key, KeyVerdict.Allowed)]
    [InlineData(WriteAccess.KeyRequired, Key, " " + Key + " ", KeyVerdict.Allowed)]
    [InlineData(WriteAccess.KeyRequired, Key, null, KeyVerdict.Unauthorized)]
    [InlineData(WriteAccess.KeyRequired, Key, "", KeyVerdict.Unauthorized)]
    [InlineData(WriteAccess.KeyRequired, Key, Key + "x", KeyVerdict.Unauthorized)]
    [InlineData(WriteAccess.KeyRequired, Key, "A-LONG-ENOUGH-TEST-KEY-0123", KeyVerdict.Unauthorized)]
    [InlineData(WriteAccess.Refused, null, null, KeyVerdict.Forbidden)]
    [InlineData(WriteAccess.Refused, null, Key, KeyVerdict.Forbidden)]
    public void A_write_is_allowed_unauthorized_or_forbidden(WriteAccess access, string? configured, string? presented, KeyVerdict expected) =>
        Assert.Equal(expected, HttpApiKeyRule.Check(access, configured, presented));

    [Fact]
    public async Task With_a_key_configured_writes_need_it_even_on_loopback_and_reads_do_not()
    {
        await using var host = await ApiHost.StartAsync(("Http:ApiKey", Key));

        using var missing = await host.PostFeedbackAsync("key-ana", new { track = "Nightcall", signal = "like" });
        using var wrong = await host.PostFeedbackAsync("key-ana", new { track = "Nightcall", signal = "like" }, apiKey: "not-the-key-at-all-000");
        using var forget = await host.Client.DeleteAsync(new Uri("/users/key-ana", UriKind.Relative));
        using var batch = await host.Client.PostAsJsonAsync(new Uri("/feedback", UriKind.Relative), new[] { new { user = "key-ana", track = "Nightcall", signal = "like" } });
        await HttpApiBadInputTests.AssertProblemAsync(missing, 401, "API key required", "X-Api-Key");
        await HttpApiBadInputTests.AssertProblemAsync(batch, 401, "API key required", "X-Api-Key");
        await HttpApiBadInputTests.AssertProblemAsync(wrong, 401, "API key required", "X-Api-Key");
        await HttpApiBadInputTests.AssertProblemAsync(forget, 401, "API key required", "X-Api-Key");

        using var right = await host.PostFeedbackAsync("key-ana", new { track = "Nightcall", signal = "like" }, apiKey: Key);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        using var read = await host.Client.GetAsync(new Uri("/users/key-ana/profile", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Text.Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Beyond_loopback_without_a_key_writes_are_refused_with_a_warning_and_reads_answer()
    {
        await using var host = await ApiHost.StartAsync(("Http:Urls", "http://0.0.0.0:0"));

        using var write = await host.PostFeedbackAsync("open-ana", new { track = "Nightcall", signal = "like" });
        using var forget = await host.Client.DeleteAsync(new Uri("/users/open-ana", UriKind.Relative));
        using var read = await host.Client.GetAsync(new Uri("/recommend/mood?mood=chill", UriKind.Relative));

        await HttpApiBadInputTests.AssertProblemAsync(write, 403, "Writes are off", "Set Http:ApiKey");
        await HttpApiBadInputTests.AssertProblemAsync(forget, 403, "Writes are off", "Set Http:ApiKey");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains(host.Logs.Lines, line => line.Level == LogLevel.Warning && line.Text.Contains("no Http:ApiKey is set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Beyond_loopback_with_a_key_writes_work_with_it()
    {
        await using var host = await ApiHost.StartAsync(("Http:Urls", "http://0.0.0.0:0"), ("Http:ApiKey", Key));

        using var without = await host.PostFeedbackAsync("far-ana", new { track = "Nightcall", signal = "like" });
        using var with = await host.PostFeedbackAsync("far-ana", new { track = "Nightcall", signal = "like" }, apiKey: Key);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.DoesNotContain(host.Logs.Lines, line => line.Level >= LogLevel.Warning);
    }
}
