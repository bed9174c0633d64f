using System.Data;
using Dapper;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage;

/// <summary>
/// The progress of an unfinished catalogue sync, keyed by what was asked (provider, tags, tracks per tag):
/// the plan is stored once, each track is marked done in the transaction that stores it, and the run is
/// deleted when it completes. A second run of the same request therefore carries on where the first stopped.
/// </summary>
public sealed class SqlSyncState(IDatabase database) : ISyncState
{
    private sealed record ItemRow(long Position, string Artist, string Title, string? ProviderId, string Tags, string? Outcome);

    /// <summary>The stored plan of an unfinished run of this request, or null when there is none.</summary>
    public Task<IReadOnlyList<SyncItem>?> PlanAsync(string runKey, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<SyncItem>?>(async connection =>
        {
            var planned = await connection.ExecuteScalarAsync<long?>(
                "SELECT planned_at FROM sync_runs WHERE run_key = @runKey", new { runKey }).ConfigureAwait(false);
            if (planned is null) return null;
            return (await connection.QueryAsync<ItemRow>(
                    "SELECT position, artist, title, provider_id, tags, outcome FROM sync_items WHERE run_key = @runKey ORDER BY position",
                    new { runKey }).ConfigureAwait(false))
                .Select(r => new SyncItem((int)r.Position, r.Artist, r.Title, r.ProviderId, r.Tags.Split(';', StringSplitOptions.RemoveEmptyEntries), r.Outcome))
                .ToList();
        }, cancellationToken);

    /// <summary>Stores a new run's plan (replacing any half-written one of the same request).</summary>
    public Task SavePlanAsync(string runKey, string provider, IReadOnlyList<SyncItem> items, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var now = at.ToUnixTimeMilliseconds();
            await connection.ExecuteAsync("DELETE FROM sync_runs WHERE run_key = @runKey", new { runKey }, transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "INSERT INTO sync_runs (run_key, provider, started_at, planned_at) VALUES (@runKey, @provider, @now, @now)",
                new { runKey, provider, now }, transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                """
                INSERT INTO sync_items (run_key, position, artist, title, provider_id, tags)
                VALUES (@runKey, @Position, @Artist, @Title, @ProviderId, @tags)
                """,
                items.Select(i => new { runKey, i.Position, i.Artist, i.Title, i.ProviderId, tags = string.Join(';', i.Tags) }), transaction).ConfigureAwait(false);
            return 0;
        }, cancellationToken);

    /// <summary>Marks one track done, in the unit of work that stored the track, so both happen or neither.</summary>
    public Task MarkDoneAsync(IUnitOfWork unit, string runKey, int position, string outcome, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(unit,
            (connection, transaction) => connection.ExecuteAsync(
                "UPDATE sync_items SET outcome = @outcome, done_at = @at WHERE run_key = @runKey AND position = @position",
                new { runKey, position, outcome, at = at.ToUnixTimeMilliseconds() }, transaction),
            cancellationToken);

    /// <summary>A completed run is forgotten: the next run of the same request starts afresh (the response cache keeps it cheap).</summary>
    public Task FinishAsync(string runKey, CancellationToken cancellationToken) =>
        database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync("DELETE FROM sync_runs WHERE run_key = @runKey", new { runKey }, transaction),
            cancellationToken);

}
