using System.Data;
using Dapper;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage.Sqlite;

/// <summary>The catalog tables: tracks, artists, track_tags.</summary>
public sealed class SqliteCatalogStore(SqliteDatabase database) : ICatalogStore
{
    private sealed record TrackRow(long Id, string Title, string Artist, long? Year, long? Listeners, long? Playcount);

    private sealed record TagRow(long TrackId, string Tag, double Weight);

    public Task<IReadOnlyList<Track>> LoadAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Track>>(async connection =>
        {
            var rows = await connection.QueryAsync<TrackRow>(
                """
                SELECT t.id, t.title, a.name AS artist, t.year, t.listeners, t.playcount
                FROM tracks t JOIN artists a ON a.id = t.artist_id
                ORDER BY t.id
                """).ConfigureAwait(false);
            var tags = (await connection.QueryAsync<TagRow>(
                    "SELECT track_id, tag, weight FROM track_tags ORDER BY track_id, weight DESC, tag").ConfigureAwait(false))
                .GroupBy(t => t.TrackId)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<TagWeight>)g.Select(t => new TagWeight(t.Tag, (float)t.Weight)).ToList());
            return rows.Select(r => new Track(r.Id, r.Title, r.Artist, (int?)r.Year, tags.GetValueOrDefault(r.Id) ?? [], r.Listeners, r.Playcount)).ToList();
        }, cancellationToken);

    /// <summary>
    /// Adds or updates tracks in one transaction. A track is the same track when its provider id matches,
    /// else when its normalised artist and title match. Counts and year are only ever filled in, never erased.
    /// </summary>
    public Task<ImportResult> UpsertAsync(IReadOnlyList<TrackInput> tracks, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            int added = 0, updated = 0, skipped = 0;
            var now = SqliteDatabase.Now();
            foreach (var track in tracks)
            {
                var artistKey = Text.Normalize(track.Artist);
                var titleKey = Text.Normalize(track.Title);
                if (artistKey.Length == 0 || titleKey.Length == 0)
                {
                    skipped++;
                    continue;
                }
                var artistId = await ArtistIdAsync(connection, transaction, track.Artist, artistKey).ConfigureAwait(false);
                long? existing = null;
                if (track.ProviderId is not null)
                {
                    existing = await connection.ExecuteScalarAsync<long?>(
                        "SELECT id FROM tracks WHERE provider = @Provider AND provider_id = @ProviderId",
                        new { track.Provider, track.ProviderId }, transaction).ConfigureAwait(false);
                }
                existing ??= await connection.ExecuteScalarAsync<long?>(
                    "SELECT id FROM tracks WHERE artist_id = @artistId AND title_key = @titleKey",
                    new { artistId, titleKey }, transaction).ConfigureAwait(false);

                long id;
                if (existing is { } found)
                {
                    id = found;
                    var changed = await connection.ExecuteAsync(
                        """
                        UPDATE tracks SET
                            year = COALESCE(@Year, year),
                            listeners = COALESCE(@Listeners, listeners),
                            playcount = COALESCE(@Playcount, playcount),
                            provider = COALESCE(provider, @Provider),
                            provider_id = COALESCE(provider_id, @ProviderId),
                            updated_at = @now
                        WHERE id = @id
                          AND (year IS NOT COALESCE(@Year, year) OR listeners IS NOT COALESCE(@Listeners, listeners)
                               OR playcount IS NOT COALESCE(@Playcount, playcount) OR provider_id IS NULL AND @ProviderId IS NOT NULL)
                        """,
                        new { track.Year, track.Listeners, track.Playcount, track.Provider, track.ProviderId, now, id }, transaction).ConfigureAwait(false);
                    var tagsChanged = await ReplaceTagsAsync(connection, transaction, id, track.Tags).ConfigureAwait(false);
                    if (changed > 0 || tagsChanged) updated++;
                    else skipped++;
                }
                else
                {
                    id = await connection.ExecuteScalarAsync<long>(
                        """
                        INSERT INTO tracks (artist_id, title, title_key, year, listeners, playcount, provider, provider_id, created_at, updated_at)
                        VALUES (@artistId, @Title, @titleKey, @Year, @Listeners, @Playcount, @Provider, @ProviderId, @now, @now)
                        RETURNING id
                        """,
                        new { artistId, track.Title, titleKey, track.Year, track.Listeners, track.Playcount, track.Provider, track.ProviderId, now }, transaction).ConfigureAwait(false);
                    await ReplaceTagsAsync(connection, transaction, id, track.Tags).ConfigureAwait(false);
                    added++;
                }
            }
            return new ImportResult(added, updated, skipped);
        }, cancellationToken);

    public Task<CatalogStats> StatsAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.QuerySingleAsync<CatalogStats>(
            """
            SELECT (SELECT COUNT(*) FROM tracks) AS Tracks,
                   (SELECT COUNT(*) FROM artists) AS Artists,
                   (SELECT COUNT(DISTINCT tag) FROM track_tags) AS Tags,
                   (SELECT COUNT(*) FROM users) AS Users,
                   (SELECT COUNT(*) FROM preferences) AS Preferences,
                   (SELECT COUNT(*) FROM feedback_events) AS FeedbackEvents
            """), cancellationToken);

    public Task<long> CountAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tracks"), cancellationToken);

    private static async Task<long> ArtistIdAsync(IDbConnection connection, IDbTransaction transaction, string name, string key)
    {
        var id = await connection.ExecuteScalarAsync<long?>("SELECT id FROM artists WHERE name_key = @key", new { key }, transaction).ConfigureAwait(false);
        return id ?? await connection.ExecuteScalarAsync<long>(
            "INSERT INTO artists (name, name_key) VALUES (@name, @key) RETURNING id", new { name, key }, transaction).ConfigureAwait(false);
    }

    /// <summary>Sets the track's tags to exactly these; true when that changed anything.</summary>
    private static async Task<bool> ReplaceTagsAsync(IDbConnection connection, IDbTransaction transaction, long trackId, IReadOnlyList<TagWeight> tags)
    {
        var current = (await connection.QueryAsync<TagRow>(
            "SELECT track_id, tag, weight FROM track_tags WHERE track_id = @trackId", new { trackId }, transaction).ConfigureAwait(false))
            .ToDictionary(t => t.Tag, t => t.Weight, StringComparer.Ordinal);
        if (tags.Count == 0 || (current.Count == tags.Count && tags.All(t => current.TryGetValue(t.Tag, out var w) && Math.Abs(w - t.Weight) < 1e-6)))
        {
            return false;
        }
        await connection.ExecuteAsync("DELETE FROM track_tags WHERE track_id = @trackId", new { trackId }, transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "INSERT INTO track_tags (track_id, tag, weight) VALUES (@trackId, @Tag, @Weight)",
            tags.Select(t => new { trackId, t.Tag, Weight = (double)t.Weight }), transaction).ConfigureAwait(false);
        return true;
    }
}
