using System.Data;
using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Storage;

/// <summary>
/// Linked accounts and the preferences their imports gave, kept apart from the preference table: the
/// in-memory matrix sees the sum of both, and unlinking deletes the import and nothing else.
/// </summary>
public sealed class SqlLinkStore(IDatabase database, PreferenceLearner learner) : ILinkStore
{
    private sealed record LinkRow(string Service, string Account, long LinkedAt);

    private sealed record ExplicitRow(double Score, long HardDislikes, long UpdatedAt);

    /// <summary>
    /// Links the account and sets its import to exactly these scores (a re-link replaces the last import of
    /// that service), in one transaction. Returns the user's current preference for every track whose
    /// imported score changed, read inside that transaction (see <see cref="CurrentAsync"/>).
    /// </summary>
    public Task<IReadOnlyList<PreferenceEntry>> ReplaceAsync(
        IUnitOfWork unit, long userId, string service, string account, IReadOnlyList<(long TrackId, double Score)> scores, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, async (connection, transaction) =>
        {
            var before = await ImportedTracksAsync(connection, transaction, userId, service).ConfigureAwait(false);
            var importedAt = at.ToUnixTimeMilliseconds();
            await connection.ExecuteAsync(
                """
                INSERT INTO linked_accounts (user_id, service, account, linked_at) VALUES (@userId, @service, @account, @importedAt)
                ON CONFLICT (user_id, service) DO UPDATE SET account = excluded.account, linked_at = excluded.linked_at
                """, new { userId, service, account, importedAt }, transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                "DELETE FROM imported_preferences WHERE user_id = @userId AND service = @service", new { userId, service }, transaction).ConfigureAwait(false);
            await connection.ExecuteAsync(
                """
                INSERT INTO imported_preferences (user_id, service, track_id, score, imported_at)
                VALUES (@userId, @service, @TrackId, @Score, @importedAt)
                """,
                scores.Select(s => new { userId, service, s.TrackId, s.Score, importedAt }), transaction).ConfigureAwait(false);
            var entries = await CurrentAsync(connection, transaction, userId, before.Union(scores.Select(s => s.TrackId)).ToList(), at).ConfigureAwait(false);
            if (entries.Count > 0) await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Preferences, userId, entries).ConfigureAwait(false);
            return entries;
        }, cancellationToken);

    /// <summary>
    /// Unlinks one service (or all when service is null) and deletes what its import gave, in one transaction.
    /// Returns the links removed and the user's current preference for every track whose imported score went.
    /// </summary>
    public Task<(IReadOnlyList<StoredLink> Removed, IReadOnlyList<PreferenceEntry> Entries)> RemoveAsync(
        IUnitOfWork unit, long userId, string? service, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync<(IReadOnlyList<StoredLink>, IReadOnlyList<PreferenceEntry>)>(unit, async (connection, transaction) =>
        {
            var links = (await LinksAsync(connection, transaction, userId).ConfigureAwait(false))
                .Where(l => service is null || l.Service == service).ToList();
            var tracks = new HashSet<long>();
            foreach (var link in links)
            {
                tracks.UnionWith(await ImportedTracksAsync(connection, transaction, userId, link.Service).ConfigureAwait(false));
                // The imported rows go with the link (foreign key cascade).
                await connection.ExecuteAsync(
                    "DELETE FROM linked_accounts WHERE user_id = @userId AND service = @Service", new { userId, link.Service }, transaction).ConfigureAwait(false);
            }
            var entries = await CurrentAsync(connection, transaction, userId, tracks, at).ConfigureAwait(false);
            if (entries.Count > 0) await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Preferences, userId, entries).ConfigureAwait(false);
            return (links, entries);
        }, cancellationToken);

    public Task<IReadOnlyList<StoredLink>> LinksAsync(long userId, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => LinksAsync(connection, null, userId), cancellationToken);

    /// <summary>
    /// The user's current preference for each track, explicit feedback and imports together, as the in-memory
    /// matrix should hold it; a track with neither gets an empty entry (which removes the cell).
    /// </summary>
    private async Task<IReadOnlyList<PreferenceEntry>> CurrentAsync(
        IDbConnection connection, IDbTransaction transaction, long userId, IReadOnlyCollection<long> trackIds, DateTimeOffset now)
    {
        var entries = new List<PreferenceEntry>(trackIds.Count);
        foreach (var trackId in trackIds)
        {
            var row = await connection.QuerySingleOrDefaultAsync<ExplicitRow>(
                "SELECT score, hard_dislikes, updated_at FROM preferences WHERE user_id = @userId AND track_id = @trackId",
                new { userId, trackId }, transaction).ConfigureAwait(false);
            var explicitEntry = row is not null
                ? new PreferenceEntry(userId, trackId, row.Score, DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt), (int)row.HardDislikes)
                : new PreferenceEntry(userId, trackId, 0, now, 0);
            entries.Add(ImportedScores.Combine(explicitEntry, await ImportedScores.OfAsync(connection, transaction, userId, trackId).ConfigureAwait(false), learner));
        }
        return entries;
    }

    private static async Task<IReadOnlyList<StoredLink>> LinksAsync(IDbConnection connection, IDbTransaction? transaction, long userId)
    {
        var rows = (await connection.QueryAsync<LinkRow>(
            "SELECT service, account, linked_at FROM linked_accounts WHERE user_id = @userId ORDER BY service",
            new { userId }, transaction).ConfigureAwait(false)).ToList();
        var links = new List<StoredLink>(rows.Count);
        foreach (var row in rows)
        {
            var imported = await connection.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM imported_preferences WHERE user_id = @userId AND service = @Service",
                new { userId, row.Service }, transaction).ConfigureAwait(false);
            links.Add(new StoredLink(row.Service, row.Account, (int)imported, DateTimeOffset.FromUnixTimeMilliseconds(row.LinkedAt)));
        }
        return links;
    }

    private static async Task<IReadOnlyList<long>> ImportedTracksAsync(IDbConnection connection, IDbTransaction transaction, long userId, string service) =>
        (await connection.QueryAsync<long>(
            "SELECT track_id FROM imported_preferences WHERE user_id = @userId AND service = @service",
            new { userId, service }, transaction).ConfigureAwait(false)).ToList();
}
