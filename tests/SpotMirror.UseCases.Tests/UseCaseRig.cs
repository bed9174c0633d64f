using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;
using SpotMirror.Testing;

namespace SpotMirror.UseCases.Tests;

/// <summary>The use cases over a real SQLite file holding the starter catalog, and the core they keep in step.</summary>
public sealed class UseCaseRig : IDisposable
{
    public static readonly DateTimeOffset At = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private UseCaseRig(TempDatabase db, Recommender recommender, PreferenceLearner learner)
    {
        Db = db;
        Recommender = recommender;
        Learner = learner;
        Users = new SqlUserDirectory(db.Database);
        Store = new SqlPreferenceStore(db.Database, learner);
        Feedback = new FeedbackUseCase(learner, Store, recommender.Preferences);
        Forget = new ForgetUseCase(Users, recommender.Preferences);
    }

    public TempDatabase Db { get; }
    public Recommender Recommender { get; }
    public PreferenceLearner Learner { get; }
    public SqlUserDirectory Users { get; }
    public SqlPreferenceStore Store { get; }
    public FeedbackUseCase Feedback { get; }
    public ForgetUseCase Forget { get; }

    public static async Task<UseCaseRig> StartAsync()
    {
        var db = new TempDatabase();
        var catalog = new SqlCatalogStore(db.Database);
        await new StorageInitializer(db.Database, catalog).InitializeAsync(seedStarterCatalog: true, CancellationToken.None);
        var learner = new PreferenceLearner(new LearningOptions());
        var matrix = new PreferenceMatrix(learner, At);
        var recommender = new Recommender(CatalogIndex.Build(await catalog.LoadAsync(CancellationToken.None)), matrix, new HybridOptions());
        return new UseCaseRig(db, recommender, learner);
    }

    public Task<long> UserAsync(string name) =>
        Users.ResolveAsync(new Core.Ports.ChatUser("test", name, name), CancellationToken.None);

    /// <summary>The first tracks of the catalogue, by id.</summary>
    public IReadOnlyList<long> Tracks(int count) => Enumerable.Range(0, count).Select(i => Recommender.Catalog[i].Id).ToList();

    public static FeedbackInput Input(string eventId, long user, FeedbackSignal signal, IReadOnlyList<long> tracks, bool added = true, int? item = 1) =>
        new(eventId, user, "test", "chat-1", "m1", EmojiOf(signal), item, signal, tracks, added, At);

    private static string EmojiOf(FeedbackSignal signal) => signal switch
    {
        FeedbackSignal.Like => "👍",
        FeedbackSignal.Love => "❤️",
        FeedbackSignal.Dislike => "👎",
        _ => "⏭️",
    };

    public void Dispose()
    {
        Recommender.Preferences.Dispose();
        Db.Dispose();
    }
}
