using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>A migrated temp database with three tracks and the stores over it.</summary>
public sealed class StoreFixture : IDisposable
{
    public StoreFixture()
    {
        new Migrator(Db.Database).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        Catalog = new SqliteCatalogStore(Db.Database);
        Users = new SqliteUserDirectory(Db.Database);
        Ledger = new SqliteMessageLedger(Db.Database);
        Learner = new PreferenceLearner(new LearningOptions());
        Preferences = new SqlitePreferenceStore(Db.Database, Learner);
        Catalog.UpsertAsync(
            [
                new TrackInput("Nightcall", "Kavinsky", [new TagWeight("synthwave", 100), new TagWeight("night", 60)]),
                new TrackInput("Midnight City", "M83", [new TagWeight("synthpop", 100)]),
                new TrackInput("Teardrop", "Massive Attack", [new TagWeight("trip-hop", 100)]),
            ], CancellationToken.None).GetAwaiter().GetResult();
        TrackIds = Catalog.LoadAsync(CancellationToken.None).GetAwaiter().GetResult().Select(t => t.Id).ToList();
    }

    public TempDatabase Db { get; } = new();
    public SqliteCatalogStore Catalog { get; }
    public SqliteUserDirectory Users { get; }
    public SqliteMessageLedger Ledger { get; }
    public PreferenceLearner Learner { get; }
    public SqlitePreferenceStore Preferences { get; }
    public IReadOnlyList<long> TrackIds { get; }

    public Task<long> UserAsync(string name = "ana") => Users.ResolveAsync(new ChatUser("test", name, name), CancellationToken.None);

    public FeedbackCommand Feedback(string eventId, long user, bool added, double delta, bool hides = false, string emoji = "👍", int? item = null, DateTimeOffset? at = null, params long[] tracks) =>
        new(eventId, user, "test", "chat", "m1", emoji, item, added, hides ? FeedbackSignal.Dislike : FeedbackSignal.Like,
            (tracks.Length == 0 ? [TrackIds[0]] : tracks).Select(t => new TrackDelta(t, delta, hides)).ToList(),
            at ?? DateTimeOffset.UtcNow);

    public void Dispose() => Db.Dispose();
}
