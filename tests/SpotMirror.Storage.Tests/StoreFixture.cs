using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>A migrated temp database (SQLite or PostgreSQL) with three tracks and the stores over it.</summary>
public sealed class StoreFixture : IDisposable
{
    public StoreFixture(StoreProvider provider = StoreProvider.Sqlite)
    {
        Db = ITempDatabase.Create(provider);
        Db.Database.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        Catalog = new SqlCatalogStore(Db.Database);
        Users = new SqlUserDirectory(Db.Database);
        Ledger = new SqlMessageLedger(Db.Database);
        Learner = new PreferenceLearner(new LearningOptions());
        Preferences = new SqlPreferenceStore(Db.Database, Learner);
        Catalog.UpsertAsync(
            [
                new TrackInput("Nightcall", "Kavinsky", [new TagWeight("synthwave", 100), new TagWeight("night", 60)]),
                new TrackInput("Midnight City", "M83", [new TagWeight("synthpop", 100)]),
                new TrackInput("Teardrop", "Massive Attack", [new TagWeight("trip-hop", 100)]),
            ], CancellationToken.None).GetAwaiter().GetResult();
        TrackIds = Catalog.LoadAsync(CancellationToken.None).GetAwaiter().GetResult().Select(t => t.Id).ToList();
    }

    public ITempDatabase Db { get; }
    public SqlCatalogStore Catalog { get; }
    public SqlUserDirectory Users { get; }
    public SqlMessageLedger Ledger { get; }
    public PreferenceLearner Learner { get; }
    public SqlPreferenceStore Preferences { get; }
    public IReadOnlyList<long> TrackIds { get; }

    public Task<long> UserAsync(string name = "ana") => Users.ResolveAsync(new ChatUser("test", name, name), CancellationToken.None);

    public FeedbackCommand Feedback(string eventId, long user, bool added, double delta, bool hides = false, string emoji = "👍", int? item = null, DateTimeOffset? at = null, params long[] tracks) =>
        new(eventId, user, "test", "chat", "m1", emoji, item, added, hides ? FeedbackSignal.Dislike : FeedbackSignal.Like,
            (tracks.Length == 0 ? [TrackIds[0]] : tracks).Select(t => new TrackDelta(t, delta, hides)).ToList(),
            at ?? DateTimeOffset.UtcNow);

    public void Dispose() => Db.Dispose();
}
