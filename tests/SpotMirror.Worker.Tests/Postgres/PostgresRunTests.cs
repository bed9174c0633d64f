using System.Net;
using System.Net.Http.Json;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Postgres;

/// <summary>The real process on PostgreSQL: Storage:Provider=postgres and a connection string are all it takes.</summary>
public sealed class PostgresRunTests : IDisposable
{
    private readonly TempPostgresDatabase _db = new();
    private readonly TempDatabase _local = new();

    public void Dispose()
    {
        _db.Dispose();
        _local.Dispose();
    }

    [Fact]
    public async Task Run_on_postgres_migrates_serves_and_keeps_feedback_for_the_next_process()
    {
        HttpStatusCode feedback;
        await using (var first = await RunningWorker.StartOnPostgresAsync(_db.ConnectionString, LocalFolder))
        {
            using var response = await first.Client.PostAsJsonAsync(new Uri("/users/ana/feedback", UriKind.Relative), new { trackId = 1, signal = "love" });
            feedback = response.StatusCode;
        }

        await using var second = await RunningWorker.StartOnPostgresAsync(_db.ConnectionString, LocalFolder);
        var profile = await second.Client.GetFromJsonAsync<Profile>(new Uri("/users/ana/profile", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, feedback);
        Assert.Equal(1, profile?.Liked);
    }

    [Fact]
    public async Task A_wrong_password_stops_start_up_with_one_line_that_does_not_hold_it()
    {
        const string wrong = "wrong-password-77";
        var result = await SpotMirrorProcess.RunAsync(["run"], "", Postgres(PostgresCluster.Shared.ConnectionString(password: wrong)));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("refused the user name or password", line, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_stops_start_up_with_one_line_naming_it()
    {
        var result = await SpotMirrorProcess.RunAsync(["migrate"], "", Postgres($"Host=127.0.0.1;Port={ClosedPort()};Database=spotmirror;Username=x;Password=y;Timeout=5"));

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("could not be reached", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Password=y", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_is_a_configuration_sentence()
    {
        var result = await SpotMirrorProcess.RunAsync(["migrate"], "", Postgres(""));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Storage:ConnectionString", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    private string LocalFolder => Path.GetDirectoryName(_local.Path)!;

    private Dictionary<string, string?> Postgres(string connectionString) => new()
    {
        ["Storage__Provider"] = "postgres",
        ["Storage__ConnectionString"] = connectionString,
        ["Storage__Path"] = _local.Path,
        ["Http__Urls"] = "http://127.0.0.1:0",
    };

    /// <summary>A loopback port nothing listens on: taken, then let go.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record Profile(string User, int Liked, int Hidden);
}
