using SpotMirror.Core.Ports;
using SpotMirror.Storage;
using SpotMirror.Storage.Catalog;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Benchmarks;

/// <summary>What a feedback benchmark writes against: a migrated database holding the starter catalogue and some listeners.</summary>
internal static class FeedbackSeed
{
    /// <summary>Migrates, imports the starter catalogue, resolves users "user-1".."user-N" on the platform; their ids and the tracks' ids.</summary>
    public static async Task<(long[] Users, long[] Tracks)> CreateAsync(SqliteDatabase database, string platform, int users, CancellationToken cancellationToken)
    {
        await new Migrator(database).MigrateAsync(cancellationToken);
        var catalog = new SqlCatalogStore(database);
        await catalog.UpsertAsync(StarterCatalog.Load(), cancellationToken);
        var tracks = (await catalog.LoadAsync(cancellationToken)).Select(t => t.Id).ToArray();
        var directory = new SqlUserDirectory(database);
        var ids = new long[users];
        for (var u = 0; u < users; u++) ids[u] = await directory.ResolveAsync(new ChatUser(platform, $"user-{u + 1}", $"Listener {u + 1}"), cancellationToken);
        return (ids, tracks);
    }
}
