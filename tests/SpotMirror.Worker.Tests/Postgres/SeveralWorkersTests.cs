using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Postgres;

/// <summary>Two real processes on one PostgreSQL database: what one commits, the other mirrors through the change feed.</summary>
public sealed class SeveralWorkersTests : IDisposable
{
    private static readonly TimeSpan Mirrored = TimeSpan.FromSeconds(1);
    private readonly TempPostgresDatabase _db = new();
    private readonly TempDatabase _local = new();

    public void Dispose()
    {
        _db.Dispose();
        _local.Dispose();
    }

    [Fact]
    public async Task Feedback_through_one_worker_reaches_the_other_within_a_second_and_a_forget_through_the_other_reaches_the_first()
    {
        var folder = Path.GetDirectoryName(_local.Path)!;
        await using var a = await RunningWorker.StartOnPostgresAsync(_db.ConnectionString, folder);
        await using var b = await RunningWorker.StartOnPostgresAsync(_db.ConnectionString, folder);
        Assert.Equal(0, await UsersInMemoryAsync(b.Client));

        using (var feedback = await a.Client.PostAsJsonAsync(new Uri("/users/ana/feedback", UriKind.Relative), new { trackId = 1, signal = "love" }))
        {
            Assert.Equal(HttpStatusCode.OK, feedback.StatusCode);
        }
        // B never saw the request: its profile of ana (read from its in-memory matrix) can only come from the change A committed.
        var liked = await Eventually.WaitAsync(() => LikedAsync(b.Client, "ana"), n => n == 1, Mirrored,
            n => $"B still shows ana with {n?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no profile"} liked track(s) a second after A took the feedback");
        Assert.Equal(1, liked);

        using (var forget = await b.Client.DeleteAsync(new Uri("/users/ana", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NoContent, forget.StatusCode);
        }
        // A's matrix (what /health counts) lets go of ana without anyone asking A.
        var users = await Eventually.WaitAsync(() => UsersInMemoryAsync(a.Client), n => n == 0, Mirrored,
            n => $"A still holds {n} user(s) in memory a second after B forgot ana");
        Assert.Equal(0, users);
    }

    private static async Task<int?> LikedAsync(HttpClient client, string user)
    {
        using var response = await client.GetAsync(new Uri($"/users/{user}/profile", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("liked").GetInt32();
    }

    private static async Task<int> UsersInMemoryAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("users").GetInt32();
    }
}
