using System.Net;
using Microsoft.Data.Sqlite;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Service;

/// <summary>`run` as systemd, nohup or a container start it: no terminal, stopped by SIGTERM at any moment.</summary>
public sealed class UnattendedServiceTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Storage__Path"] = _db.Path };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task Run_with_no_input_at_all_keeps_serving_http_and_sigterm_ends_it_with_exit_0()
    {
        using var service = ServiceProcess.Start(Settings());
        service.Input.Close();

        await service.WaitForOkAsync("/health/ready");
        var live = await service.GetAsync("/health/live");
        var ready = await service.GetAsync("/health/ready");
        Assert.False(service.Process.HasExited, "run stopped at the end of its input");

        var health = await SpotMirrorCli.RunAsync(["health", "--url", new Uri(service.Client.BaseAddress!, "/health/ready").ToString()]);
        var exit = await service.TerminateAsync();
        var healthOfNothing = await SpotMirrorCli.RunAsync(["health", "--url", new Uri(service.Client.BaseAddress!, "/health/ready").ToString()]);

        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Contains("\"catalogue\":\"ok\"", ready.Body, StringComparison.Ordinal);
        Assert.Contains("\"storage\":\"ok\"", ready.Body, StringComparison.Ordinal);
        Assert.True(health.ExitCode == 0, health.Output + health.Error);
        Assert.Equal(0, exit);
        Assert.Equal(1, healthOfNothing.ExitCode);
    }

    [Fact]
    public async Task Sigterm_while_run_waits_for_input_ends_it_within_10_seconds_with_the_feedback_already_given_kept()
    {
        using var service = ServiceProcess.Start(Settings());
        await service.Input.WriteAsync("/mood happy 3\n:react ❤️ 1\n/profile\n");
        await service.Input.FlushAsync();
        await Eventually.WaitAsync(() => Task.FromResult(service.Output), o => o.Contains("1 track(s) liked", StringComparison.Ordinal) || service.Process.HasExited,
            ServiceProcess.StartPatience, o => $"no profile after the like:\n{o}\n{service.Log}");

        Assert.Contains("1 track(s) liked", service.Output, StringComparison.Ordinal);

        // Standard input stays open: the chat is blocked reading it when the signal comes.
        var exit = await service.TerminateAsync();

        Assert.Equal(0, exit);
        Assert.Equal(1L, await CountAsync("SELECT COUNT(*) FROM feedback_events"));
    }

    [Fact]
    public async Task Sigterm_during_start_up_on_a_locked_database_ends_it_within_10_seconds_with_exit_0()
    {
        Assert.Equal(0, (await SpotMirrorProcess.RunAsync(["migrate", "--db", _db.Path])).ExitCode);
        await using var holder = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        await holder.OpenAsync();
        await using (var begin = holder.CreateCommand())
        {
            // Another process's write lock: start-up's migration check waits on it (SQLite's busy wait ignores tokens).
            begin.CommandText = "BEGIN EXCLUSIVE";
            await begin.ExecuteNonQueryAsync();
        }
        using var service = ServiceProcess.Start(Settings(("Logging__LogLevel__Default", "Debug")));
        service.Input.Close();
        await service.WaitForLogAsync("Hosting starting");

        var listening = await ListeningAsync(service);
        var exit = await service.TerminateAsync();

        Assert.False(listening, "start-up finished although the database was locked");
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Sigterm_during_the_learned_model_fit_cancels_it_and_ends_the_process_within_10_seconds()
    {
        await SeedALongFitAsync();
        using var service = ServiceProcess.Start(Settings(
            ("Recommender__LearnedFactors", "1024"),
            ("Recommender__LearnedEpochs", "1000"),
            ("Recommender__LearnedThreads", "1"),
            ("Logging__LogLevel__SpotMirror.Runtime.LearnedModelRefresher", "Information")));
        service.Input.Close();
        await service.WaitForOkAsync("/health/ready");
        await service.WaitForLogAsync("fitting in the background");

        var exit = await service.TerminateAsync();

        Assert.Equal(0, exit);
        Assert.Contains("Learned model fit cancelled: stopping", service.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Learned model fitted", service.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_bot_token_run_never_reads_its_input_and_its_json_logs_are_one_object_per_line_without_the_token()
    {
        await using var telegram = await SpotMirror.Testing.Telegram.FakeTelegramServer.StartAsync("987654:JSON-LOG-SECRET-x");
        using var service = ServiceProcess.Start(Settings(
            ("Logging__Format", "json"),
            ("Logging__LogLevel__Default", "Debug"),
            ("Telegram__Token", telegram.Token),
            ("Telegram__BaseUrl", telegram.BaseUrl),
            ("Telegram__PollTimeoutSeconds", "1")));
        await service.Input.WriteAsync("/mood happy 1\n");
        await service.Input.FlushAsync();
        await service.WaitForOkAsync("/health/ready");
        await service.GetAsync("/recommend/mood?mood=chill");

        var exit = await service.TerminateAsync();

        Assert.Equal(0, exit);
        Assert.Equal("", service.Output);
        var lines = service.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = System.Text.Json.JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("Category", out _), line);
        }
        Assert.DoesNotContain("JSON-LOG-SECRET", service.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("JSON-LOG-SECRET", service.Output, StringComparison.Ordinal);
    }

    /// <summary>One listener who liked every track: with 1,024 factors each item's solve is a dense 1,024² system, minutes in all.</summary>
    private async Task SeedALongFitAsync()
    {
        var chat = await SpotMirrorCli.ChatAsync(_db.Path, "/mood happy 1", ":react ❤️ 1");
        Assert.True(chat.ExitCode == 0, chat.Error);
        await using var connection = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        await connection.OpenAsync();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO preferences (user_id, track_id, score, updated_at)
            SELECT (SELECT MIN(user_id) FROM preferences), id, 1.0, 0 FROM tracks WHERE id NOT IN (SELECT track_id FROM preferences)
            """;
        Assert.True(await insert.ExecuteNonQueryAsync() > 10);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_db.Path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<bool> ListeningAsync(ServiceProcess service)
    {
        try
        {
            await service.GetAsync("/health/live");
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}
