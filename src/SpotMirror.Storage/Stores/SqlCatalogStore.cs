using System.Data;
using System.Data.Common;
using System.Runtime.InteropServices;
using Dapper;
using Microsoft.Data.Sqlite;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Storage;

/// <summary>The catalog tables: tracks, artists, track_tags.</summary>
public sealed class SqlCatalogStore(IDatabase database) : ICatalogStore
{
    private sealed record KeyRow(long Id, string Artist, string Title);

    private sealed record TagRow(long TrackId, string Tag, double Weight);

    /// <summary>
    /// The whole catalogue, read off plain forward readers by ordinal (no mapped row objects, no await per row:
    /// at a million tracks and five million tags the per-row cost is start-up's cost) with one string per
    /// distinct artist and tag: the copies of "rock" and of each artist's name would otherwise outweigh the tracks.
    /// </summary>
    public Task<IReadOnlyList<Track>> LoadAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(connection => Task.FromResult<IReadOnlyList<Track>>(Load((DbConnection)connection, cancellationToken)), cancellationToken);

    private static List<Track> Load(DbConnection db, CancellationToken cancellationToken)
    {
        var pool = new Dictionary<string, string>(StringComparer.Ordinal);
        var tags = new Dictionary<long, TagWeight[]>();
        var current = -1L;
        var pending = new List<TagWeight>();
        var rows = 0L;
        // Per track, the heaviest tag first and ties by tag.
        const string tagSql = "SELECT track_id, tag, weight FROM track_tags ORDER BY track_id, weight DESC, tag";
        var sqlite = db as SqliteConnection;
        var weights = new List<double>();
        if (sqlite is not null)
        {
            // Five million tag rows at a million tracks: SQLite's own API, and each tag's text matched against the
            // pool before any string is made of it. The rows come in key order (track, then tag) and each track's
            // few tags are put in weight order here: SQLite's sort of all five million cost more than the read.
            var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
            SqliteScan.Run(sqlite, "SELECT track_id, tag, weight FROM track_tags ORDER BY track_id, tag", row =>
            {
                Next(row.Int64(0));
                var weight = row.Double(2);
                pending.Add(new TagWeight(row.Pooled(1, lookup), (float)weight));
                weights.Add(weight);
            }, cancellationToken);
        }
        else
        {
            using var command = Command(db, tagSql);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                Tick();
                Next(reader.GetInt64(0));
                pending.Add(new TagWeight(Intern(reader.GetString(1)), (float)reader.GetDouble(2)));
            }
        }
        Flush();

        // One Spotify id per track for its listen link: the most popular (the album cut rather than a compilation's).
        var spotify = new Dictionary<long, string>();
        using (var command = Command(db, "SELECT track_id, provider_id FROM track_provider_ids WHERE provider = @provider ORDER BY track_id, COALESCE(popularity, -1) DESC, provider_id", "spotify"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Tick();
                spotify.TryAdd(reader.GetInt64(0), reader.GetString(1));
            }
        }

        // Artists apart: each name is read once, not once per track.
        var artists = new Dictionary<long, string>();
        using (var command = Command(db, "SELECT id, name FROM artists"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) artists[reader.GetInt64(0)] = Intern(reader.GetString(1));
        }

        var tracks = new List<Track>();
        const string trackSql = "SELECT id, title, artist_id, year, listeners, playcount, provider, provider_id, popularity FROM tracks ORDER BY id";
        if (sqlite is not null)
        {
            SqliteScan.Run(sqlite, trackSql, row =>
            {
                var id = row.Int64(0);
                var page = row.TextEquals(6, "lastfm"u8) ? ListenLinker.LastFmPageOf(row.NullableText(7)) : null;
                tracks.Add(new Track(id, row.Text(1), artists[row.Int64(2)], (int?)row.NullableInt64(3), tags.GetValueOrDefault(id) ?? [], row.NullableInt64(4), row.NullableInt64(5),
                    page, (int?)row.NullableInt64(8), spotify.GetValueOrDefault(id)));
            }, cancellationToken);
            return tracks;
        }
        using (var command = Command(db, trackSql))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Tick();
                var id = reader.GetInt64(0);
                var page = !reader.IsDBNull(6) && reader.GetString(6) == "lastfm" ? ListenLinker.LastFmPageOf(reader.IsDBNull(7) ? null : reader.GetString(7)) : null;
                tracks.Add(new Track(id, reader.GetString(1), artists[reader.GetInt64(2)], (int?)Nullable(3), tags.GetValueOrDefault(id) ?? [], Nullable(4), Nullable(5),
                    page, (int?)Nullable(8), spotify.GetValueOrDefault(id)));

                long? Nullable(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
            }
        }
        return tracks;

        void Tick()
        {
            if ((++rows & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
        }

        void Next(long track)
        {
            if (track != current) Flush();
            current = track;
        }

        void Flush()
        {
            if (pending.Count > 0) tags[current] = weights.Count > 0 ? ByWeight() : [.. pending];
            pending.Clear();
            weights.Clear();
        }

        // A stable insertion sort, heaviest first, of the tags read in tag order: ties stay in SQLite's tag order,
        // as its ORDER BY weight DESC, tag would give them.
        TagWeight[] ByWeight()
        {
            var sorted = pending.ToArray();
            for (var i = 1; i < sorted.Length; i++)
            {
                var (tag, weight) = (sorted[i], weights[i]);
                var j = i - 1;
                for (; j >= 0 && weights[j] < weight; j--) (sorted[j + 1], weights[j + 1]) = (sorted[j], weights[j]);
                (sorted[j + 1], weights[j + 1]) = (tag, weight);
            }
            return sorted;
        }

        string Intern(string value)
        {
            ref var pooled = ref CollectionsMarshal.GetValueRefOrAddDefault(pool, value, out var exists);
            if (!exists) pooled = value;
            return pooled!;
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, string? provider = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        if (provider is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@provider";
            parameter.Value = provider;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    /// <summary>
    /// Adds or updates tracks in one transaction. A track is the same track when its provider id matches
    /// (any provider id it was ever given), else when its ISRC matches, else when its normalised artist and
    /// title match, else when its folded artist and title (<see cref="TrackMatch.Key"/>) match a track whose
    /// ISRC does not say otherwise. Counts are only ever filled in, never erased; the year is the earliest
    /// any provider gave; popularity is the highest of the track's provider ids; a new provider id is remembered.
    /// </summary>
    public Task<ImportResult> UpsertAsync(IReadOnlyList<TrackInput> tracks, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => UpsertAsync(connection, transaction, tracks, null), cancellationToken);

    /// <summary>
    /// Upserts as <see cref="UpsertAsync(IReadOnlyList{TrackInput}, CancellationToken)"/> does, in the unit of work, and
    /// returns each input's catalogue id (null for a row skipped as blank): the rows are not committed yet, so a
    /// separate read could not see them.
    /// </summary>
    public Task<(ImportResult Result, IReadOnlyList<long?> Ids)> UpsertAsync(IUnitOfWork unit, IReadOnlyList<TrackInput> tracks, CancellationToken cancellationToken) =>
        database.WriteAsync<(ImportResult, IReadOnlyList<long?>)>(unit, async (connection, transaction) =>
        {
            var ids = new List<long?>(tracks.Count);
            var result = await UpsertAsync(connection, transaction, tracks, ids).ConfigureAwait(false);
            return (result, ids);
        }, cancellationToken);

    private static async Task<ImportResult> UpsertAsync(IDbConnection connection, IDbTransaction transaction, IReadOnlyList<TrackInput> tracks, List<long?>? ids)
    {
        int added = 0, updated = 0, skipped = 0;
        var now = IDatabase.Now();
        await FillMatchKeysAsync(connection, transaction).ConfigureAwait(false);
        foreach (var track in tracks)
        {
            var artistKey = Text.Normalize(track.Artist);
            var titleKey = Text.Normalize(track.Title);
            if (artistKey.Length == 0 || titleKey.Length == 0)
            {
                skipped++;
                ids?.Add(null);
                continue;
            }
            var artistId = await ArtistIdAsync(connection, transaction, track.Artist, artistKey).ConfigureAwait(false);
            var matchKey = TrackMatch.Key(track.Artist, track.Title);
            var existing = await FindAsync(connection, transaction, track, artistId, titleKey, matchKey).ConfigureAwait(false);

            long id;
            if (existing is { } found)
            {
                id = found;
                // Portable SQL (CASE for the smaller year, IS DISTINCT FROM), so PostgreSQL can run this store too.
                var changed = await connection.ExecuteAsync(
                    """
                    UPDATE tracks SET
                        year = CASE WHEN year IS NULL OR @Year < year THEN @Year ELSE year END,
                        listeners = COALESCE(@Listeners, listeners),
                        playcount = COALESCE(@Playcount, playcount),
                        isrc = COALESCE(isrc, @Isrc),
                        provider = COALESCE(provider, @Provider),
                        provider_id = COALESCE(provider_id, @ProviderId),
                        updated_at = @now
                    WHERE id = @id
                      AND (year IS DISTINCT FROM CASE WHEN year IS NULL OR @Year < year THEN @Year ELSE year END OR listeners IS DISTINCT FROM COALESCE(@Listeners, listeners)
                           OR playcount IS DISTINCT FROM COALESCE(@Playcount, playcount) OR isrc IS NULL AND @Isrc IS NOT NULL
                           OR provider_id IS NULL AND @ProviderId IS NOT NULL)
                    """,
                    new { track.Year, track.Listeners, track.Playcount, track.Isrc, track.Provider, track.ProviderId, now, id }, transaction).ConfigureAwait(false);
                var tagsChanged = await TagAsync(connection, transaction, id, track).ConfigureAwait(false);
                var idLearned = await KeepProviderIdAsync(connection, transaction, id, track).ConfigureAwait(false);
                var popularityChanged = await RefreshPopularityAsync(connection, transaction, id).ConfigureAwait(false);
                if (changed > 0 || tagsChanged || idLearned || popularityChanged) updated++;
                else skipped++;
            }
            else
            {
                id = await connection.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO tracks (artist_id, title, title_key, match_key, isrc, year, listeners, playcount, provider, provider_id, created_at, updated_at)
                    VALUES (@artistId, @Title, @titleKey, @matchKey, @Isrc, @Year, @Listeners, @Playcount, @Provider, @ProviderId, @now, @now)
                    RETURNING id
                    """,
                    new { artistId, track.Title, titleKey, matchKey, track.Isrc, track.Year, track.Listeners, track.Playcount, track.Provider, track.ProviderId, now },
                    transaction).ConfigureAwait(false);
                await TagAsync(connection, transaction, id, track).ConfigureAwait(false);
                await KeepProviderIdAsync(connection, transaction, id, track).ConfigureAwait(false);
                await RefreshPopularityAsync(connection, transaction, id).ConfigureAwait(false);
                added++;
            }
            ids?.Add(id);
        }
        if (added + updated > 0) await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Catalogue, null, []).ConfigureAwait(false);
        return new ImportResult(added, updated, skipped);
    }

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

    /// <summary>The track a provider id names, else the one with this ISRC, else by name: exact, then folded (unless the ISRCs differ).</summary>
    private static async Task<long?> FindAsync(IDbConnection connection, IDbTransaction transaction, TrackInput track, long artistId, string titleKey, string matchKey)
    {
        if (track.Provider is not null && track.ProviderId is not null)
        {
            var byId = await connection.ExecuteScalarAsync<long?>(
                "SELECT track_id FROM track_provider_ids WHERE provider = @Provider AND provider_id = @ProviderId",
                new { track.Provider, track.ProviderId }, transaction).ConfigureAwait(false);
            if (byId is not null) return byId;
        }
        if (track.Isrc is not null)
        {
            var byIsrc = await connection.ExecuteScalarAsync<long?>(
                "SELECT id FROM tracks WHERE isrc = @Isrc ORDER BY id LIMIT 1", new { track.Isrc }, transaction).ConfigureAwait(false);
            if (byIsrc is not null) return byIsrc;
        }
        var exact = await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM tracks WHERE artist_id = @artistId AND title_key = @titleKey",
            new { artistId, titleKey }, transaction).ConfigureAwait(false);
        if (exact is not null) return exact;
        // Two different ISRCs are two recordings (a remaster has its own), however alike the names fold.
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT id FROM tracks WHERE match_key = @matchKey AND (isrc IS NULL OR @Isrc IS NULL OR isrc = @Isrc) ORDER BY id LIMIT 1",
            new { matchKey, track.Isrc }, transaction).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the input's provider id (with its page and popularity) for the track; true when that was new or
    /// changed its page or popularity. An id already naming a track stays with it.
    /// </summary>
    private static async Task<bool> KeepProviderIdAsync(IDbConnection connection, IDbTransaction transaction, long trackId, TrackInput track)
    {
        if (track.Provider is null || track.ProviderId is null) return false;
        return await connection.ExecuteAsync(
            """
            INSERT INTO track_provider_ids (provider, provider_id, track_id, url, popularity) VALUES (@Provider, @ProviderId, @trackId, @ProviderUrl, @Popularity)
            ON CONFLICT (provider, provider_id) DO UPDATE SET url = COALESCE(excluded.url, track_provider_ids.url), popularity = COALESCE(excluded.popularity, track_provider_ids.popularity)
            WHERE track_provider_ids.url IS DISTINCT FROM COALESCE(excluded.url, track_provider_ids.url)
               OR track_provider_ids.popularity IS DISTINCT FROM COALESCE(excluded.popularity, track_provider_ids.popularity)
            """,
            new { track.Provider, track.ProviderId, trackId, track.ProviderUrl, track.Popularity }, transaction).ConfigureAwait(false) > 0;
    }

    /// <summary>The track's popularity becomes the highest of its provider ids'; true when that changed it.</summary>
    private static async Task<bool> RefreshPopularityAsync(IDbConnection connection, IDbTransaction transaction, long trackId) =>
        await connection.ExecuteAsync(
            """
            UPDATE tracks SET popularity = (SELECT MAX(popularity) FROM track_provider_ids WHERE track_id = @trackId)
            WHERE id = @trackId AND popularity IS DISTINCT FROM (SELECT MAX(popularity) FROM track_provider_ids WHERE track_id = @trackId)
            """,
            new { trackId }, transaction).ConfigureAwait(false) > 0;

    /// <summary>Gives rows stored before folded keys existed their key, once; later calls find none to fill.</summary>
    private static async Task FillMatchKeysAsync(IDbConnection connection, IDbTransaction transaction)
    {
        var rows = (await connection.QueryAsync<KeyRow>(
            "SELECT t.id, a.name AS artist, t.title FROM tracks t JOIN artists a ON a.id = t.artist_id WHERE t.match_key IS NULL",
            transaction: transaction).ConfigureAwait(false)).ToList();
        if (rows.Count == 0) return;
        await connection.ExecuteAsync("UPDATE tracks SET match_key = @Key WHERE id = @Id",
            rows.Select(r => new { r.Id, Key = TrackMatch.Key(r.Artist, r.Title) }), transaction).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets the track's tags from this input unless they are fill-only tags (artist genres) and another
    /// provider has tagged the track already; true when the tags changed.
    /// </summary>
    private static async Task<bool> TagAsync(IDbConnection connection, IDbTransaction transaction, long trackId, TrackInput track)
    {
        if (track.Tags.Count == 0) return false;
        if (track.TagsFillOnly)
        {
            var owner = await connection.QuerySingleAsync<(string? Owner, long Tagged)>(
                "SELECT tags_provider, EXISTS (SELECT 1 FROM track_tags WHERE track_id = @trackId) FROM tracks WHERE id = @trackId",
                new { trackId }, transaction).ConfigureAwait(false);
            if (owner.Tagged != 0 && owner.Owner != track.Provider) return false;
        }
        var changed = await ReplaceTagsAsync(connection, transaction, trackId, track.Tags).ConfigureAwait(false);
        await connection.ExecuteAsync("UPDATE tracks SET tags_provider = @Provider WHERE id = @trackId AND tags_provider IS DISTINCT FROM @Provider",
            new { track.Provider, trackId }, transaction).ConfigureAwait(false);
        return changed;
    }

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
