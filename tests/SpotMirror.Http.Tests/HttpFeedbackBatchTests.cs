using System.Net;
using System.Net.Http.Json;
using SpotMirror.Http;

namespace SpotMirror.Http.Tests;

/// <summary>POST /feedback: many events in one transaction, each answered in order as it would be alone.</summary>
public sealed class HttpFeedbackBatchTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private readonly ApiHost _host = fixture.Host;

    [Fact]
    public async Task Each_event_is_answered_in_the_order_sent_and_a_bad_one_does_not_sink_the_others()
    {
        var nightcall = TrackId("Nightcall - Kavinsky");
        var batch = await PostAsync(
            new { user = "batch-ana", trackId = nightcall, signal = "like" },
            new { user = "batch-ana", trackId = nightcall, signal = "shrug" },
            new { user = "batch-ana", trackId = 987654321L, signal = "like" },
            new { user = "batch-ben", track = "Teardrop", signal = "love" },
            new { user = "", trackId = nightcall, signal = "like" });

        Assert.Equal([0, 1, 2, 3, 4], batch.Results.Select(r => r.Index));
        Assert.Equal([200, 400, 404, 200, 400], batch.Results.Select(r => r.Status));
        Assert.Equal((2, 0, 0, 3), (batch.Applied, batch.Duplicate, batch.NoChange, batch.Refused));
        Assert.Equal(("Unknown signal", "Unknown song", "Missing user"), (batch.Results[1].Problem!.Title, batch.Results[2].Problem!.Title, batch.Results[4].Problem!.Title));
        var (ana, ben) = (batch.Results[0].Receipt!, batch.Results[3].Receipt!);
        Assert.Equal(("batch-ana", nightcall, "applied", 1.0), (ana.User, ana.TrackId, ana.Outcome, Math.Round(ana.Score, 3)));
        Assert.Equal(("batch-ben", "Teardrop", "love", "applied"), (ben.User, ben.Title, ben.Signal, ben.Outcome));
        var profile = await _host.GetJsonAsync<UserProfile>("/users/batch-ben/profile");
        Assert.Equal(1, profile.Liked);
    }

    [Fact]
    public async Task A_key_repeated_inside_a_batch_counts_once_and_a_key_reused_for_another_track_is_a_conflict_of_its_own()
    {
        var batch = await PostAsync(
            new { user = "inside-ana", track = "Teardrop", signal = "like", idempotencyKey = "k-1" },
            new { user = "inside-ana", track = "Teardrop", signal = "like", idempotencyKey = "k-1" },
            new { user = "inside-ana", track = "Nightcall - Kavinsky", signal = "like", idempotencyKey = "k-1" },
            new { user = "inside-ana", track = "Nightcall - Kavinsky", signal = "like", idempotencyKey = "k-2" });

        Assert.Equal([200, 200, 409, 200], batch.Results.Select(r => r.Status));
        Assert.Equal(["applied", "duplicate", null, "applied"], batch.Results.Select(r => r.Receipt?.Outcome));
        Assert.Equal("Idempotency-Key reused", batch.Results[2].Problem!.Title);
        Assert.Equal(1.0, batch.Results[1].Receipt!.Score, 3);
    }

    [Fact]
    public async Task A_redelivered_batch_is_all_duplicate_and_so_is_a_key_first_posted_alone()
    {
        using (var alone = await _host.PostFeedbackAsync("again-ana", new { track = "Teardrop", signal = "love" }, idempotencyKey: "solo"))
        {
            alone.EnsureSuccessStatusCode();
        }
        object[] events =
        [
            new { user = "again-ana", track = "Teardrop", signal = "love", idempotencyKey = "solo" },
            new { user = "again-ana", track = "Nightcall - Kavinsky", signal = "dislike", idempotencyKey = "b-1" },
            new { user = "again-ben", track = "Nightcall - Kavinsky", signal = "like", idempotencyKey = "b-1" },
        ];

        var first = await PostAsync(events);
        var again = await PostAsync(events);

        Assert.Equal(["duplicate", "applied", "applied"], first.Results.Select(r => r.Receipt!.Outcome));
        Assert.Equal(["duplicate", "duplicate", "duplicate"], again.Results.Select(r => r.Receipt!.Outcome));
        Assert.Equal(first.Results.Select(r => r.Receipt!.Score), again.Results.Select(r => r.Receipt!.Score));
        Assert.True(again.Results[1].Receipt!.Hidden);
    }

    [Fact]
    public async Task A_full_batch_is_taken_whole_though_larger_than_any_other_body()
    {
        var tracks = _host.Service<Core.Recommender>().Catalog;
        var events = Enumerable.Range(0, ApiHandlers.MaxFeedbackBatch)
            .Select(i => (object)new { user = $"full-{i % 50}", trackId = tracks[i % tracks.Count].Id, signal = "like", idempotencyKey = $"full-key-{i:D6}" })
            .ToArray();

        var batch = await PostAsync(events);

        Assert.Equal(ApiHandlers.MaxFeedbackBatch, batch.Results.Count);
        Assert.Equal(ApiHandlers.MaxFeedbackBatch, batch.Applied);
        Assert.Equal(Enumerable.Range(0, ApiHandlers.MaxFeedbackBatch), batch.Results.Select(r => r.Index));
    }

    [Theory]
    [InlineData(0, 400, "No events", "1 to 1000 events")]
    [InlineData(ApiHandlers.MaxFeedbackBatch + 1, 413, "Too many events", "at most 1000 events; this one has 1001")]
    public async Task A_batch_of_no_events_or_too_many_is_refused_with_a_sentence_and_nothing_applied(int count, int status, string title, string detail)
    {
        var events = Enumerable.Range(0, count).Select(i => new { user = "cap-ana", trackId = TrackId("Teardrop"), signal = "like", idempotencyKey = $"cap-{i}" }).ToArray();

        using var response = await _host.Client.PostAsJsonAsync(new Uri("/feedback", UriKind.Relative), events);

        await HttpApiBadInputTests.AssertProblemAsync(response, status, title, detail);
        using var profile = await _host.Client.GetAsync(new Uri("/users/cap-ana/profile", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
    }

    private async Task<FeedbackBatchReceipt> PostAsync(params object[] events)
    {
        using var response = await _host.Client.PostAsJsonAsync(new Uri("/feedback", UriKind.Relative), events);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<FeedbackBatchReceipt>(ApiHost.Json))!;
    }

    private long TrackId(string name)
    {
        var catalog = _host.Service<Core.Recommender>().Catalog;
        return catalog[catalog.FindSeed(name)!.Items[0]].Id;
    }
}
