using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpotMirror.Testing;
using SpotMirror.Runtime;
using SpotMirror.Worker.Hosting;
using SpotMirror.Http;

namespace SpotMirror.Http.Tests;

/// <summary>
/// The worker's real host over a temporary database: the core loader, then the HTTP API on a free
/// loopback port (unless the settings say otherwise), with every log line kept for the test to read.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    private ApiHost(TempDatabase db, IHost host, CapturedLogs logs)
    {
        Db = db;
        Host = host;
        Logs = logs;
        Api = host.Services.GetRequiredService<HttpApiService>();
        if (Api.Addresses.Count > 0)
        {
            // A wildcard binding (0.0.0.0) is reached through loopback like any other.
            var port = new Uri(Api.Addresses[0].Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        }
        else
        {
            Client = new HttpClient();
        }
    }

    public TempDatabase Db { get; }
    public IHost Host { get; }
    public CapturedLogs Logs { get; }
    public HttpApiService Api { get; }
    public HttpClient Client { get; }

    public T Service<T>() where T : notnull => Host.Services.GetRequiredService<T>();

    public static Task<ApiHost> StartAsync(params (string Key, string Value)[] settings) => StartAsync(null, null, settings);

    /// <summary>The host, with <paramref name="extra"/> adding services (a console chat) after the API.</summary>
    public static Task<ApiHost> StartAsync(Action<IServiceCollection>? extra, params (string Key, string Value)[] settings) =>
        StartAsync(extra, null, settings);

    /// <summary>prepare runs on the database before the host starts (to add tracks the starter catalogue lacks).</summary>
    public static Task<ApiHost> StartAsync(Func<TempDatabase, Task> prepare, params (string Key, string Value)[] settings) =>
        StartAsync(null, prepare, settings);

    private static async Task<ApiHost> StartAsync(Action<IServiceCollection>? extra, Func<TempDatabase, Task>? prepare, (string Key, string Value)[] settings)
    {
        var db = new TempDatabase();
        try
        {
            if (prepare is not null) await prepare(db);
            var builder = ServiceRegistration.CreateBuilder(db.Path);
            var config = new Dictionary<string, string?> { ["Http:Urls"] = "http://127.0.0.1:0" };
            foreach (var (key, value) in settings) config[key] = value;
            builder.Configuration.AddInMemoryCollection(config);
            var logs = new CapturedLogs();
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            builder.Services.AddHostedService(sp => sp.GetRequiredService<CoreLoader>());
            builder.Services.AddHttpFrontEnd();
            extra?.Invoke(builder.Services);
            var host = builder.Build();
            try
            {
                await host.StartAsync();
            }
            catch
            {
                host.Dispose();
                throw;
            }
            return new ApiHost(db, host, logs);
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public async Task<T> GetJsonAsync<T>(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public async Task<HttpResponseMessage> PostFeedbackAsync(string user, object body, string? apiKey = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/users/{Uri.EscapeDataString(user)}/feedback", UriKind.Relative))
        {
            Content = JsonContent.Create(body),
        };
        if (apiKey is not null) request.Headers.Add(HttpApiKeyRule.Header, apiKey);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await Client.SendAsync(request);
    }

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.StopAsync();
        Host.Dispose();
        Db.Dispose();
    }
}

/// <summary>Every log line of a host, as (level, category, text).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) owner._lines.Enqueue((logLevel, category, formatter(state, exception)));
        }
    }
}
