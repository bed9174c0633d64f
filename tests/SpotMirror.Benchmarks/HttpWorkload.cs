using Microsoft.Extensions.Logging.Abstractions;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;
using SpotMirror.Http;

using SpotMirror.UseCases;

namespace SpotMirror.Benchmarks;

/// <summary>
/// A <see cref="Workload"/> behind the real HTTP API on a free loopback port: the same recommender, and a
/// temporary database whose users "listener-N" get ids 1..N, so the workload's synthetic user N is the
/// API's user listener-N. Each call here is one request, the in-process twin of <see cref="Workload"/>'s calls.
/// </summary>
public sealed class HttpWorkload : IAsyncDisposable
{
    private readonly TempDatabase _database;
    private readonly HttpApiService _api;

    private HttpWorkload(Workload work, TempDatabase database, HttpApiService api)
    {
        Work = work;
        _database = database;
        _api = api;
        Client = new HttpClient { BaseAddress = new Uri(api.Addresses[0]) };
    }

    public Workload Work { get; }
    public HttpClient Client { get; }

    public static async Task<HttpWorkload> StartAsync(CatalogSize size, CancellationToken cancellationToken)
    {
        var work = Workload.Create(size);
        var database = new TempDatabase();
        HttpApiService? api = null;
        try
        {
            await new Migrator(database.Database).MigrateAsync(cancellationToken);
            var users = new SqlUserDirectory(database.Database);
            for (var n = 1; n <= work.UserCount; n++)
            {
                var id = await users.ResolveAsync(new ChatUser(ApiHandlers.Platform, UserName(n), UserName(n)), cancellationToken);
                if (id != n) throw new InvalidOperationException($"User {UserName(n)} got id {id}, not {n}.");
            }
            var learner = new PreferenceLearner(new LearningOptions());
            var matrix = work.Recommender.Preferences;
            var handlers = new ApiHandlers(work.Recommender, new RecommendUseCase(work.Recommender, new HybridOptions { Neighbours = Workload.Neighbours }),
                new ProfileUseCase(work.Recommender, TimeProvider.System), users, new SqlTransactions(database.Database),
                new FeedbackUseCase(learner, new SqlPreferenceStore(database.Database, learner), matrix), new ForgetUseCase(users, matrix),
                TimeProvider.System, ready: () => true);
            api = new HttpApiService(new HttpOptions { Urls = "http://127.0.0.1:0" }, handlers, NullLoggerFactory.Instance);
            await api.StartAsync(cancellationToken);
            if (api.Addresses.Count == 0) throw new InvalidOperationException("The HTTP API did not start.");
            return new HttpWorkload(work, database, api);
        }
        catch
        {
            if (api is not null) await api.DisposeAsync();
            database.Dispose();
            work.Dispose();
            throw;
        }
    }

    public static string UserName(long userId) => $"listener-{userId}";

    /// <summary>GET /recommend for the next user: the hybrid, as <see cref="Workload.Hybrid"/> computes it in process.</summary>
    public Task<byte[]> RecommendAsync() =>
        Client.GetByteArrayAsync(new Uri($"/recommend?user={UserName(Work.Next().UserId)}&top={Workload.ResultCount}", UriKind.Relative));

    /// <summary>GET /recommend/mood?mood=chill for the next user, as <see cref="Workload.Mood"/> in process.</summary>
    public Task<byte[]> MoodAsync() =>
        Client.GetByteArrayAsync(new Uri($"/recommend/mood?mood=chill&user={UserName(Work.Next().UserId)}&top={Workload.ResultCount}", UriKind.Relative));

    /// <summary>Requests from several clients at once, each waiting for its answer before asking again; all must succeed.</summary>
    public async Task ConcurrentRecommendAsync(int clients, int requestsPerClient)
    {
        var workers = new Task[clients];
        for (var c = 0; c < clients; c++)
        {
            workers[c] = Task.Run(async () =>
            {
                for (var r = 0; r < requestsPerClient; r++) await RecommendAsync();
            });
        }
        await Task.WhenAll(workers);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _api.StopAsync(CancellationToken.None);
        await _api.DisposeAsync();
        _database.Dispose();
        Work.Dispose();
    }
}
