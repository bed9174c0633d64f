using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;
using SpotMirror.Testing;
using SpotMirror.UseCases;
using SpotMirror.Runtime;
using SpotMirror.Worker.Hosting;
using SpotMirror.Http;

namespace SpotMirror.Http.Tests;

/// <summary>The API inside the host: on by default, off on request, never the reason the host dies, and checked at start.</summary>
public sealed class HttpApiHostingTests
{
    [Fact]
    public async Task A_port_in_use_is_one_clear_error_and_the_rest_of_the_host_keeps_running()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        await using var host = await ApiHost.StartAsync(("Http:Urls", $"http://127.0.0.1:{port}"));

        Assert.Empty(host.Api.Addresses);
        Assert.True(host.Service<CoreLoader>().Ready);
        var error = Assert.Single(host.Logs.Lines, line => line.Level >= LogLevel.Error);
        Assert.Equal(
            $"Http: could not listen on http://127.0.0.1:{port}: address in use; set Http:Urls to a free port or Http:Enabled=false",
            error.Text);
    }

    [Fact]
    public async Task Http_Enabled_false_listens_nowhere()
    {
        await using var host = await ApiHost.StartAsync(("Http:Enabled", "false"), ("Http:Urls", "not checked when off"));

        Assert.Empty(host.Api.Addresses);
        Assert.True(host.Service<CoreLoader>().Ready);
    }

    [Fact]
    public async Task Bad_options_stop_start_up_with_a_sentence_that_says_what_to_set()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiHost.StartAsync(("Http:Urls", "https://127.0.0.1:5443")));

        Assert.Contains("use http:// and put a TLS reverse proxy in front", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", null, null)]
    [InlineData("http://127.0.0.1:0;http://[::1]:0", null, null)]
    [InlineData("http://*:5080", "0123456789abcdef", null)]
    [InlineData("", null, "Http:Urls is empty")]
    [InlineData(" ; ", null, "Http:Urls is empty")]
    [InlineData("127.0.0.1:5080", null, "not an address to listen on")]
    [InlineData("http://127.0.0.1:port", null, "not an address to listen on")]
    [InlineData("https://0.0.0.0:443", null, "use http:// and put a TLS reverse proxy in front")]
    [InlineData("ftp://127.0.0.1:21", null, "use http://HOST:PORT")]
    [InlineData("http://127.0.0.1:5080/api", null, "with a path")]
    [InlineData("http://127.0.0.1:5080", "short", "Http:ApiKey is shorter than 16 characters")]
    public void Http_options_are_checked(string urls, string? key, string? problem)
    {
        var result = new HttpOptionsValidator().Validate(null, new HttpOptions { Urls = urls, ApiKey = key });

        if (problem is null) Assert.True(result.Succeeded, result.FailureMessage);
        else Assert.Contains(problem, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_is_503_until_the_core_is_ready()
    {
        using var db = new TempDatabase();
        var learner = new PreferenceLearner(new LearningOptions());
        using var matrix = new PreferenceMatrix(learner, DateTimeOffset.UtcNow);
        var options = new HybridOptions();
        var users = new SqlUserDirectory(db.Database);
        var recommender = new Recommender(CatalogIndex.Build([]), matrix, options);
        var handlers = new ApiHandlers(recommender, new RecommendUseCase(recommender, options), new ProfileUseCase(recommender, TimeProvider.System),
            users, new SqlTransactions(db.Database),
            new FeedbackUseCase(learner, new SqlPreferenceStore(db.Database, learner), matrix), new ForgetUseCase(users, matrix),
            TimeProvider.System, ready: () => false);
        await using var api = new HttpApiService(new HttpOptions { Urls = "http://127.0.0.1:0" }, handlers, NullLoggerFactory.Instance);
        await api.StartAsync(CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri(api.Addresses[0]) };

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("starting", (await response.Content.ReadFromJsonAsync<HealthReport>(ApiHost.Json))!.Status);
        await api.StopAsync(CancellationToken.None);
    }
}
