using SpotMirror.Core.Ports;
using SpotMirror.Storage.Catalog;

namespace SpotMirror.Storage;

/// <summary>Start-up work on the database: the schema first, then the starter catalog when the catalog is empty.</summary>
public sealed class StorageInitializer(IDatabase database, SqlCatalogStore catalog)
{
    public sealed record Report(IReadOnlyList<int> MigrationsApplied, ImportResult? StarterImport);

    public async Task<Report> InitializeAsync(bool seedStarterCatalog, CancellationToken cancellationToken)
    {
        await database.EnsureWritableAsync(cancellationToken).ConfigureAwait(false);
        var applied = await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        ImportResult? seeded = null;
        if (seedStarterCatalog && await catalog.CountAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            seeded = await catalog.UpsertAsync(StarterCatalog.Load(), cancellationToken).ConfigureAwait(false);
        }
        return new Report(applied, seeded);
    }
}
