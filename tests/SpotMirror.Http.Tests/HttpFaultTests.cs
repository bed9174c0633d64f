using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Storage;
using SpotMirror.Testing;

namespace SpotMirror.Http.Tests;

/// <summary>Faults found by trying to break the API (issue 17, items 2, 4, 6 and 8), each on a host of its own.</summary>
public sealed class HttpFaultTests
{
    [Fact]
    public async Task An_idempotency_key_reused_with_a_different_body_is_a_409_and_applies_nothing()
    {
        await using var host = await ApiHost.StartAsync();
        using (var first = await host.PostFeedbackAsync("reuse-ana", new { track = "Teardrop", signal = "like" }, idempotencyKey: "k-7")) first.EnsureSuccessStatusCode();

        using var disliked = await host.PostFeedbackAsync("reuse-ana", new { track = "Teardrop", signal = "dislike" }, idempotencyKey: "k-7");
        using var removed = await host.PostFeedbackAsync("reuse-ana", new { track = "Teardrop", signal = "like", remove = true }, idempotencyKey: "k-7");
        using var elsewhere = await host.PostFeedbackAsync("reuse-ana", new { track = "Nightcall - Kavinsky", signal = "like" }, idempotencyKey: "k-7");
        using var same = await host.PostFeedbackAsync("reuse-ana", new { track = "Teardrop", signal = "👍" }, idempotencyKey: "k-7");

        foreach (var reused in new[] { disliked, removed, elsewhere })
        {
            Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
            Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await reused.Content.ReadAsStringAsync());
            Assert.Equal("Idempotency-Key reused", problem.RootElement.GetProperty("title").GetString());
            Assert.Contains("nothing was applied", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal("duplicate", (await same.Content.ReadFromJsonAsync<FeedbackReceipt>(ApiHost.Json))!.Outcome);
        var profile = await host.GetJsonAsync<UserProfile>("/users/reuse-ana/profile");
        Assert.Equal((1, 0), (profile.Liked, profile.Hidden));
    }

    [Fact]
    public async Task An_exact_title_two_songs_share_is_a_problem_listing_both_and_applies_nothing()
    {
        await using var host = await ApiHost.StartAsync(AddTwoSongsCalledHappyAsync);

        using var response = await host.PostFeedbackAsync("happy-ana", new { track = "Happy", signal = "like" });
        using var named = await host.PostFeedbackAsync("happy-ana", new { track = "Happy - Band Two", signal = "like" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Which song?", problem.RootElement.GetProperty("title").GetString());
        var candidates = problem.RootElement.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["Happy - Band Two", "Happy - Pharrell Williams"], candidates);
        Assert.All(problem.RootElement.GetProperty("candidates").EnumerateArray(), c => Assert.True(c.GetProperty("trackId").GetInt64() > 0));
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
        var profile = await host.GetJsonAsync<UserProfile>("/users/happy-ana/profile");
        Assert.Equal("Band Two", Assert.Single(profile.Artists).Name);
    }

    [Theory]
    [InlineData("a%2Fb", "a%2Fb")]
    [InlineData("a%2fb", "a%2Fb")]
    [InlineData("caf%C3%A9", "caf%C3%A9")]
    [InlineData("a%252Fb", "a%252Fb")]
    public async Task A_user_name_in_the_path_and_in_the_query_is_decoded_by_one_rule(string inPath, string inQuery)
    {
        await using var host = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/users/{inPath}/feedback", UriKind.Relative))
        {
            Content = JsonContent.Create(new { track = "Nightcall - Kavinsky", signal = "love" }),
        };
        using var posted = await host.Client.SendAsync(request);
        posted.EnsureSuccessStatusCode();

        var list = await host.GetJsonAsync<TrackList>($"/recommend?user={inQuery}&top=3");
        var profile = await host.GetJsonAsync<UserProfile>($"/users/{inPath}/profile");

        Assert.True(list.KnownUser);
        Assert.Equal(Uri.UnescapeDataString(inQuery), (await posted.Content.ReadFromJsonAsync<FeedbackReceipt>(ApiHost.Json))!.User);
        Assert.Equal(1, profile.Liked);
    }

    [Theory]
    [InlineData("/users/a%FFb/feedback")]
    [InlineData("/users/a%C3/feedback")]
    [InlineData("/users/%ED%A0%80/feedback")]
    public async Task A_user_name_that_is_not_utf8_is_refused_with_problem_details(string path)
    {
        await using var host = await ApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
        {
            Content = JsonContent.Create(new { track = "Nightcall - Kavinsky", signal = "love" }),
        };

        using var posted = await host.Client.SendAsync(request);
        using var queried = await host.Client.GetAsync(new Uri("/recommend?user=a%FFb", UriKind.Relative));

        foreach (var response in new[] { posted, queried })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("Not UTF-8", problem.RootElement.GetProperty("title").GetString());
        }
        Assert.Equal(0, (await host.GetJsonAsync<HealthReport>("/health")).Users);
    }

    [Fact]
    public async Task Feedback_racing_a_forget_of_the_same_user_is_never_a_500_and_memory_ends_as_stored()
    {
        await using var host = await ApiHost.StartAsync();
        var tracks = Enumerable.Range(0, 40).Select(i => host.Service<Recommender>().Catalog[i].Id).ToList();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<(string What, HttpStatusCode Status, string Body)>();
        using var stop = new CancellationTokenSource();

        var forgetting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await host.Client.DeleteAsync(new Uri("/users/race-ana", UriKind.Relative));
                statuses.Add(("forget", response.StatusCode, ""));
            }
        });
        var posting = Enumerable.Range(0, 4).Select(client => Task.Run(async () =>
        {
            for (var i = client; i < tracks.Count; i += 4)
            {
                using var response = await host.PostFeedbackAsync("race-ana", new { trackId = tracks[i], signal = "like" }, idempotencyKey: $"race-{i}");
                statuses.Add(("feedback", response.StatusCode, await response.Content.ReadAsStringAsync()));
            }
        })).ToList();
        await Task.WhenAll(posting);
        await stop.CancelAsync();
        await forgetting;
        using (var last = await host.PostFeedbackAsync("race-ana", new { trackId = tracks[0], signal = "love" }, idempotencyKey: "race-last")) last.EnsureSuccessStatusCode();

        Assert.All(statuses.Where(s => s.What == "feedback"), s => Assert.True(s.Status == HttpStatusCode.OK, $"{s.Status}: {s.Body}"));
        Assert.All(statuses.Where(s => s.What == "forget"), s => Assert.Contains(s.Status, new[] { HttpStatusCode.NoContent, HttpStatusCode.NotFound }));
        Assert.Contains(statuses, s => s.What == "forget" && s.Status == HttpStatusCode.NoContent);
        var userId = await host.Service<IUserDirectory>().FindAsync(ApiHandlers.Platform, "race-ana", CancellationToken.None);
        var stored = (await new SqlPreferenceStore(host.Db.Database, host.Service<Core.Preferences.PreferenceLearner>()).LoadAsync(CancellationToken.None))
            .Where(e => e.UserId == userId).Select(e => e.TrackId).Order().ToList();
        var inMemory = host.Service<Recommender>().Preferences.TasteOf(userId!.Value).Scores.Keys.Order().ToList();
        Assert.Contains(tracks[0], stored);
        Assert.Equal(stored, inMemory);
    }

    [Fact]
    public async Task A_write_while_another_process_holds_the_database_is_a_503_with_retry_after_and_then_works()
    {
        await using var host = await ApiHost.StartAsync();
        await using (var other = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={host.Db.Path};Pooling=False"))
        {
            await other.OpenAsync();
            await using (var hold = other.CreateCommand())
            {
                hold.CommandText = "BEGIN IMMEDIATE";
                await hold.ExecuteNonQueryAsync();
            }

            using var busy = await host.PostFeedbackAsync("busy-ana", new { track = "Teardrop", signal = "like" });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.NotNull(busy.Headers.RetryAfter?.Delta);
            using var problem = JsonDocument.Parse(await busy.Content.ReadAsStringAsync());
            Assert.Contains("nothing of this request was kept", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await using var release = other.CreateCommand();
            release.CommandText = "ROLLBACK";
            await release.ExecuteNonQueryAsync();
        }

        using var after = await host.PostFeedbackAsync("busy-ana", new { track = "Teardrop", signal = "like" });

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Single(host.Logs.Lines, l => l.Text.Contains("the store is Busy", StringComparison.Ordinal));
    }

    /// <summary>The starter catalogue has Pharrell Williams' "Happy"; this adds another song of that name.</summary>
    private static async Task AddTwoSongsCalledHappyAsync(TempDatabase db)
    {
        var catalog = new SqlCatalogStore(db.Database);
        await new StorageInitializer(db.Database, catalog).InitializeAsync(seedStarterCatalog: true, CancellationToken.None);
        await catalog.UpsertAsync(
            [new TrackInput("Happy", "Band Two", [new TagWeight("rock", 1)])],
            CancellationToken.None);
    }
}

public sealed class StoreFaultLogTests
{
    [Fact]
    public void A_full_disk_is_logged_in_full_once_then_counted_not_traced_per_request()
    {
        var logs = new CapturedLogs();
        var faults = new StoreFaults(logs.CreateLogger("test"));

        for (var i = 0; i < 1000; i++) faults.Note(new StoreFaultException(StoreFault.Full, "full", new IOException("No space left on device")));
        faults.Note(new StoreFaultException(StoreFault.Busy, "busy", null));

        Assert.Equal(
            [
                "HTTP API: a request failed because the store is Full (later ones are counted, not traced)",
                "HTTP API: 10 requests so far failed because the store was Full; each got 503 with Retry-After",
                "HTTP API: 100 requests so far failed because the store was Full; each got 503 with Retry-After",
                "HTTP API: 1000 requests so far failed because the store was Full; each got 503 with Retry-After",
                "HTTP API: a request failed because the store is Busy (later ones are counted, not traced)",
            ],
            logs.Lines.Select(l => l.Text));
    }
}
