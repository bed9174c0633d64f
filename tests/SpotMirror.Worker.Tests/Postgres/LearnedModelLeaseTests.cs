using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Postgres;

/// <summary>Two real workers on one PostgreSQL database: one fits the learned model, the other takes what it publishes.</summary>
public sealed class LearnedModelLeaseTests : IDisposable
{
    private readonly TempPostgresDatabase _db = new();
    private readonly TempDatabase _local = new();

    public void Dispose()
    {
        _db.Dispose();
        _local.Dispose();
    }

    [Fact]
    public async Task Only_the_lease_holder_fits_and_the_other_worker_gets_its_model_through_the_database()
    {
        var folder = Path.GetDirectoryName(_local.Path)!;
        // A refresh period of about a second, and Information logs, so the fits can be seen.
        var settings = new Dictionary<string, string?>
        {
            ["Recommender__LearnedRefreshMinutes"] = "0.02",
            ["Recommender__LearnedFactors"] = "8",
            ["Recommender__LearnedEpochs"] = "3",
            ["Logging__LogLevel__Default"] = "Information",
        };
        var a = await RunningWorker.StartOnPostgresAsync(_db.ConnectionString, folder, settings);
        var b = await RunningWorker.StartOnPostgresAsync(_db.ConnectionString, folder, settings);
        var processA = a.Id;
        int itemsInB;
        (int ExitCode, string Error) stoppedA, stoppedB;
        try
        {
            // The likes go to B; A sees them only through the change feed, and fits because it holds the lease.
            foreach (var user in new[] { "amy", "bo", "cy" })
            {
                foreach (var track in new[] { 1, 2 })
                {
                    using var response = await b.Client.PostAsJsonAsync(new Uri($"/users/{user}/feedback", UriKind.Relative), new { trackId = track, signal = "love" });
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }
            itemsInB = await Eventually.WaitAsync(() => LearnedItemsAsync(b.Client), n => n >= 2, TimeSpan.FromSeconds(60),
                n => $"B's learned model still has {n} items a minute after the likes");
        }
        finally
        {
            stoppedA = await a.StopAsync();
            stoppedB = await b.StopAsync();
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
        var publishedBy = await _db.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT published_by FROM learned_models"), CancellationToken.None);

        Assert.True(itemsInB >= 2);
        Assert.StartsWith($"{Environment.MachineName}/{processA}/", publishedBy, StringComparison.Ordinal);
        Assert.Contains("Learned model fitted in the background", stoppedA.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Learned model fitted in the background", stoppedB.Error, StringComparison.Ordinal);
        Assert.Contains("Learned model loaded from the database", stoppedB.Error, StringComparison.Ordinal);
    }

    private static async Task<int> LearnedItemsAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("learnedItems").GetInt32();
    }
}
