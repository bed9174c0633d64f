using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpotMirror.Http;

namespace SpotMirror.Http.Tests;

/// <summary>One real host (Kestrel on 127.0.0.1, a temporary database with the starter catalogue) for the happy paths.</summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    public ApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class HttpApiEndpointTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly ApiHost _host = fixture.Host;

    [Fact]
    public async Task Health_is_ready_once_the_host_has_started()
    {
        var health = await _host.GetJsonAsync<HealthReport>("/health");

        Assert.Equal("ready", health.Status);
        Assert.Equal(348, health.Tracks);
    }

    [Theory]
    [InlineData("chill", "chill")]
    [InlineData("relaxing", "chill")]
    [InlineData("rainy sunday", "rainy sunday")]
    [InlineData("🎉", "party")]
    public async Task Mood_answers_a_named_mood_a_synonym_free_words_and_an_emoji(string mood, string label)
    {
        var list = await _host.GetJsonAsync<TrackList>($"/recommend/mood?mood={Uri.EscapeDataString(mood)}&top=4");

        Assert.Equal(("mood", label), (list.Kind, list.Mood));
        Assert.Equal(4, list.Tracks.Count);
        Assert.Equal([1, 2, 3, 4], list.Tracks.Select(t => t.Rank));
        Assert.All(list.Tracks, t => Assert.False(string.IsNullOrEmpty(t.Title) || string.IsNullOrEmpty(t.Artist) || string.IsNullOrEmpty(t.Reason)));
        Assert.Equal(4, list.Tracks.Select(t => t.Artist).Distinct().Count());
    }

    [Fact]
    public async Task Top_defaults_to_ten()
    {
        var list = await _host.GetJsonAsync<TrackList>("/recommend/mood?mood=happy");

        Assert.Equal(ApiHandlers.DefaultTop, list.Tracks.Count);
    }

    [Fact]
    public async Task An_unknown_user_gets_the_mood_list_for_anyone_and_is_not_created()
    {
        var list = await _host.GetJsonAsync<TrackList>("/recommend/mood?mood=chill&top=3&user=stranger-mood");

        Assert.False(list.KnownUser);
        Assert.Equal(3, list.Tracks.Count);
        using var profile = await _host.Client.GetAsync(new Uri("/users/stranger-mood/profile", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
    }

    [Fact]
    public async Task Similar_finds_the_seed_by_title_and_artist_by_title_and_by_id()
    {
        var byName = await _host.GetJsonAsync<TrackList>("/recommend/similar?song=Nightcall%20-%20Kavinsky&top=5");
        var id = (await _host.GetJsonAsync<TrackList>("/recommend/similar?song=Nightcall&top=1")).Seed;
        var nightcall = TrackId("Nightcall - Kavinsky");
        var byId = await _host.GetJsonAsync<TrackList>($"/recommend/similar?song={nightcall}&top=5");

        Assert.Equal("Nightcall - Kavinsky", byName.Seed);
        Assert.Equal("Nightcall - Kavinsky", id);
        Assert.Equal(byName.Tracks.Select(t => t.Id), byId.Tracks.Select(t => t.Id));
        Assert.DoesNotContain(nightcall, byName.Tracks.Select(t => t.Id));
        Assert.Equal(5, byName.Tracks.Count);
    }

    [Fact]
    public async Task Similar_to_an_artist_leaves_that_artists_own_tracks_out()
    {
        var list = await _host.GetJsonAsync<TrackList>("/recommend/similar?song=Daft%20Punk&top=5");

        Assert.Equal("Daft Punk", list.Seed);
        Assert.DoesNotContain("Daft Punk", list.Tracks.Select(t => t.Artist));
    }

    [Fact]
    public async Task Recommend_without_a_known_user_is_the_popular_fallback_and_with_likes_is_personal()
    {
        var anyone = await _host.GetJsonAsync<TrackList>("/recommend?top=5");
        Assert.Null(anyone.User);
        Assert.Equal(5, anyone.Tracks.Count);

        using (var liked = await _host.PostFeedbackAsync("rec-ana", new { track = "Moonlight Sonata", signal = "love" })) liked.EnsureSuccessStatusCode();
        var personal = await _host.GetJsonAsync<TrackList>("/recommend?user=rec-ana&top=5");

        Assert.True(personal.KnownUser);
        Assert.Equal(5, personal.Tracks.Count);
        Assert.DoesNotContain("Moonlight Sonata", personal.Tracks.Select(t => t.Title));
        Assert.Contains(personal.Tracks, t => t.Reason.Contains("Moonlight Sonata", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Collaborative_recommends_what_a_neighbour_liked_and_falls_back_to_popular_for_a_stranger()
    {
        foreach (var track in new[] { "Nightcall - Kavinsky", "One More Time - Daft Punk", "Get Lucky - Daft Punk" })
        {
            using var response = await _host.PostFeedbackAsync("cf-neighbour", new { track, signal = "like" });
            response.EnsureSuccessStatusCode();
        }
        using (var mine = await _host.PostFeedbackAsync("cf-ana", new { track = "Nightcall - Kavinsky", signal = "like" })) mine.EnsureSuccessStatusCode();

        var list = await _host.GetJsonAsync<TrackList>("/recommend/collaborative?user=cf-ana&top=3");
        var stranger = await _host.GetJsonAsync<TrackList>("/recommend/collaborative?user=cf-nobody&top=3");

        Assert.True(list.KnownUser);
        Assert.Contains(list.Tracks, t => t.Artist == "Daft Punk" && t.Reason == "listeners like you liked it");
        Assert.DoesNotContain("Nightcall", list.Tracks.Select(t => t.Title));
        Assert.False(stranger.KnownUser);
        Assert.Equal(3, stranger.Tracks.Count);
    }

    [Fact]
    public async Task A_group_playlist_serves_every_member_and_says_how_well()
    {
        using (var a = await _host.PostFeedbackAsync("group-ana", new { track = "Nightcall - Kavinsky", signal = "love" })) a.EnsureSuccessStatusCode();
        using (var b = await _host.PostFeedbackAsync("group-ben", new { track = "One More Time - Daft Punk", signal = "love" })) b.EnsureSuccessStatusCode();

        var list = await _host.GetJsonAsync<GroupTrackList>("/recommend/group?users=group-ana,group-ben,group-stranger&top=6&strategy=average&mood=party");

        Assert.Equal(("group", "Average", "party"), (list.Kind, list.Strategy, list.Mood));
        Assert.Equal(["group-ana", "group-ben", "group-stranger"], list.Members.Select(m => m.User));
        Assert.Equal([true, true, false], list.Members.Select(m => m.Known));
        Assert.All(list.Members, m => Assert.InRange(m.Satisfaction, 0, 1));
        Assert.Equal(6, list.Tracks.Count);
        Assert.All(list.Tracks, t => Assert.Matches("^(for everyone|mostly for .+|a pick for the whole group)$", t.Reason));
    }

    [Fact]
    public async Task Popular_answers_with_and_without_a_tag()
    {
        var all = await _host.GetJsonAsync<TrackList>("/popular?top=7");
        var jazz = await _host.GetJsonAsync<TrackList>("/popular?tag=jazz&top=3");

        Assert.Equal(7, all.Tracks.Count);
        Assert.Equal("jazz", jazz.Tag);
        Assert.Equal(3, jazz.Tracks.Count);
        Assert.All(jazz.Tracks, t => Assert.Contains("jazz", t.Tags));
    }

    [Fact]
    public async Task Feedback_then_profile_then_forget()
    {
        using var posted = await _host.PostFeedbackAsync("cycle-ana", new { track = "Nightcall - Kavinsky", signal = "❤️" });
        var receipt = (await posted.Content.ReadFromJsonAsync<FeedbackReceipt>(ApiHost.Json))!;
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(("love", "add", "applied", 2.0, false), (receipt.Signal, receipt.Action, receipt.Outcome, receipt.Weight, receipt.Hidden));
        Assert.Equal(2.0, receipt.Score, 3);

        var profile = await _host.GetJsonAsync<UserProfile>("/users/cycle-ana/profile");
        Assert.Equal(1, profile.Liked);
        Assert.Equal("Kavinsky", Assert.Single(profile.Artists).Name);

        using var forgotten = await _host.Client.DeleteAsync(new Uri("/users/cycle-ana", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, forgotten.StatusCode);
        using var gone = await _host.Client.GetAsync(new Uri("/users/cycle-ana/profile", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_repeated_idempotency_key_counts_once()
    {
        var first = await ReceiptAsync(await _host.PostFeedbackAsync("idem-ana", new { track = "Teardrop", signal = "like" }, idempotencyKey: "k-1"));
        var again = await ReceiptAsync(await _host.PostFeedbackAsync("idem-ana", new { track = "Teardrop", signal = "like" }, idempotencyKey: "k-1"));

        Assert.Equal(("applied", "duplicate"), (first.Outcome, again.Outcome));
        Assert.Equal(first.Score, again.Score);
    }

    [Fact]
    public async Task Remove_takes_feedback_back_exactly_and_a_dislike_hides_until_then()
    {
        var trackId = TrackId("Get Lucky - Daft Punk");
        var disliked = await ReceiptAsync(await _host.PostFeedbackAsync("undo-ana", new { trackId, signal = "dislike" }));
        Assert.True(disliked.Hidden);
        Assert.DoesNotContain(trackId, (await _host.GetJsonAsync<TrackList>("/recommend?user=undo-ana&top=50")).Tracks.Select(t => t.Id));

        var removed = await ReceiptAsync(await _host.PostFeedbackAsync("undo-ana", new { trackId, signal = "dislike", remove = true }));

        Assert.Equal(("remove", "applied", false, 0.0), (removed.Action, removed.Outcome, removed.Hidden, removed.Score));
    }

    [Fact]
    public async Task The_same_feedback_twice_without_a_key_changes_nothing_the_second_time()
    {
        var first = await ReceiptAsync(await _host.PostFeedbackAsync("twice-ana", new { track = "Teardrop", signal = "👍" }));
        var second = await ReceiptAsync(await _host.PostFeedbackAsync("twice-ana", new { track = "Teardrop", signal = "like" }));

        Assert.Equal(("applied", "no-change"), (first.Outcome, second.Outcome));
        Assert.Equal(1.0, second.Score, 3);
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint_and_the_docs_page_is_served()
    {
        using var document = JsonDocument.Parse(await _host.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)));
        var paths = document.RootElement.GetProperty("paths");
        string[] expected = ["/recommend/mood", "/recommend/similar", "/recommend/collaborative", "/recommend", "/popular", "/users/{user}/feedback", "/feedback", "/users/{user}/profile", "/users/{user}", "/health"];
        Assert.All(expected, path => Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the document"));
        var mood = paths.GetProperty("/recommend/mood").GetProperty("get");
        Assert.Equal("Tracks for a mood", mood.GetProperty("summary").GetString());
        var top = mood.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "top");
        Assert.Equal("integer", top.GetProperty("schema").GetProperty("type").GetString());
        var moodParameter = mood.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "mood");
        Assert.True(moodParameter.GetProperty("required").GetBoolean());
        var trackId = document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty("FeedbackRequest").GetProperty("properties").GetProperty("trackId");
        Assert.Equal(["null", "integer"], trackId.GetProperty("type").EnumerateArray().Select(t => t.GetString()));
        Assert.True(paths.GetProperty("/users/{user}/feedback").GetProperty("post").TryGetProperty("security", out _));
        Assert.True(paths.GetProperty("/feedback").GetProperty("post").TryGetProperty("security", out _));

        using var docs = await _host.Client.GetAsync(new Uri("/docs", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }

    private long TrackId(string name)
    {
        var catalog = _host.Service<Core.Recommender>().Catalog;
        return catalog[catalog.FindSeed(name)!.Items[0]].Id;
    }

    private static async Task<FeedbackReceipt> ReceiptAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            return (await response.Content.ReadFromJsonAsync<FeedbackReceipt>(ApiHost.Json))!;
        }
    }
}
