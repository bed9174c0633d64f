using System.Data;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Storage;

/// <summary>
/// The preference table and its feedback log. One feedback event is one transaction: the log row
/// (unique by platform event id, so a redelivery stops here), the active-reaction row, and the
/// preference rows it changes. Removing a reaction undoes exactly the deltas its adding applied.
/// </summary>
public sealed class SqlPreferenceStore(IDatabase database, PreferenceLearner learner) : IPreferenceStore
{
    private sealed record PreferenceRow(long UserId, long TrackId, double Score, long HardDislikes, long UpdatedAt);

    private sealed record ActiveRow(long AddedAt, string Deltas);

    /// <summary>Every preference, with what /link imported added on top (see ImportedScores).</summary>
    public Task<IReadOnlyList<PreferenceEntry>> LoadAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            var entries = (await connection.QueryAsync<PreferenceRow>(new CommandDefinition(
                "SELECT user_id, track_id, score, hard_dislikes, updated_at FROM preferences", cancellationToken: cancellationToken)).ConfigureAwait(false))
                .Select(ToEntry).ToList();
            return ImportedScores.Merge(entries, await ImportedScores.AllAsync(connection).ConfigureAwait(false), learner);
        }, cancellationToken);

    /// <summary>
    /// Every preference as <see cref="LoadAsync"/> gives it, streamed to onChunk a chunk at a time straight off a
    /// data reader (on SQLite, its own statement API: <see cref="SqliteScan"/>): at ten million rows neither a row
    /// object per preference nor a list of them all is kept.
    /// </summary>
    public Task<long> StreamAsync(Action<IReadOnlyList<PreferenceEntry>> onChunk, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            ArgumentNullException.ThrowIfNull(onChunk);
            var imported = await ImportedScores.AllAsync(connection).ConfigureAwait(false);
            var byCell = imported.ToLookup(r => (r.UserId, r.TrackId));
            var explicitCells = new HashSet<(long, long)>();
            var chunk = new List<PreferenceEntry>(StreamChunk);
            var count = 0L;
            const string sql = "SELECT user_id, track_id, score, hard_dislikes, updated_at FROM preferences";
            if (connection is SqliteConnection sqlite)
            {
                SqliteScan.Run(sqlite, sql, row => Take(new PreferenceEntry(row.Int64(0), row.Int64(1), row.Double(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(row.Int64(4)), (int)row.Int64(3))), cancellationToken);
            }
            else
            {
                using var reader = await ((DbConnection)connection).ExecuteReaderAsync(sql).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    Take(new PreferenceEntry(reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), (int)reader.GetInt64(3)));
                }
            }
            foreach (var cell in byCell.Where(g => !explicitCells.Contains(g.Key)))
            {
                var empty = new PreferenceEntry(cell.Key.UserId, cell.Key.TrackId, 0, DateTimeOffset.FromUnixTimeMilliseconds(cell.First().ImportedAt), 0);
                Emit(ImportedScores.Combine(empty, cell, learner));
            }
            if (chunk.Count > 0) onChunk(chunk);
            return count;

            void Take(PreferenceEntry entry)
            {
                if (imported.Count > 0 && byCell.Contains((entry.UserId, entry.TrackId)))
                {
                    explicitCells.Add((entry.UserId, entry.TrackId));
                    entry = ImportedScores.Combine(entry, byCell[(entry.UserId, entry.TrackId)], learner);
                }
                Emit(entry);
            }

            void Emit(PreferenceEntry entry)
            {
                chunk.Add(entry);
                count++;
                if (chunk.Count < StreamChunk) return;
                onChunk(chunk);
                chunk.Clear();
            }
        }, cancellationToken);

    private const int StreamChunk = 1 << 16;

    /// <summary>Applies one event in a transaction of its own (tools, tests, benchmarks).</summary>
    public Task<FeedbackResult> ApplyAsync(FeedbackCommand command, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => ApplyAsync(connection, transaction, command), cancellationToken);

    public Task<FeedbackResult> ApplyAsync(IUnitOfWork unit, FeedbackCommand command, CancellationToken cancellationToken) =>
        database.WriteAsync(unit, (connection, transaction) => ApplyAsync(connection, transaction, command), cancellationToken);

    /// <summary>
    /// The event's statements, as few as its meaning allows: the active reaction is read first, so the log row is
    /// written once with its outcome and the direction a toggle took (a redelivery still stops at that insert, before
    /// anything changes); each track's preference and its imports are read by one statement.
    /// </summary>
    private async Task<FeedbackResult> ApplyAsync(IDbConnection connection, IDbTransaction transaction, FeedbackCommand command)
    {
        var at = command.At.ToUnixTimeMilliseconds();
        (string, object?)[] key =
        [
            ("@Platform", command.Platform), ("@ChatId", command.ChatId), ("@MessageId", command.MessageId), ("@UserId", command.UserId),
            ("@Emoji", command.Emoji), ("@Item", command.ItemIndex ?? 0),
        ];
        var active = (await Statements.RowsAsync(connection, transaction, SelectActive, r => new ActiveRow(r.GetInt64(0), r.GetString(1)), key).ConfigureAwait(false))
            .FirstOrDefault();
        var added = command.Toggle ? active is null : command.Added;
        var changes = added == (active is null);
        var logged = await Statements.ExecuteAsync(connection, transaction, InsertEvent,
            ("@EventId", command.EventId), ("@UserId", command.UserId), ("@Platform", command.Platform), ("@ChatId", command.ChatId),
            ("@MessageId", command.MessageId), ("@Emoji", command.Emoji), ("@ItemIndex", command.ItemIndex),
            // The action a toggle turned out to be, so the log replays without guessing.
            ("@Action", added ? "add" : "remove"), ("@Signal", command.Signal.ToString().ToLowerInvariant()), ("@Outcome", changes ? "applied" : "no-change"),
            ("@at", at)).ConfigureAwait(false);
        if (logged == 0)
        {
            // An id seen before is a redelivery only when it said the same thing; a key reused for another request must not pass for one.
            var same = await connection.ExecuteScalarAsync<long>(
                """
                SELECT COUNT(*) FROM feedback_events
                WHERE event_id = @EventId AND user_id = @UserId AND platform = @Platform AND chat_id = @ChatId AND message_id = @MessageId
                  AND emoji = @Emoji AND item_index IS NOT DISTINCT FROM @ItemIndex AND action = @Action
                """,
                new
                {
                    command.EventId, command.UserId, command.Platform, command.ChatId, command.MessageId, command.Emoji, command.ItemIndex,
                    Action = command.Toggle || command.Added ? "add" : "remove",
                }, transaction).ConfigureAwait(false);
            return new FeedbackResult(same > 0 ? FeedbackOutcome.Duplicate : FeedbackOutcome.Conflict, []);
        }
        if (!changes) return new FeedbackResult(FeedbackOutcome.NoChange, [], added);

        List<(TrackDelta Delta, double Amount, int Hide)> effects;
        if (active is null)
        {
            await Statements.ExecuteAsync(connection, transaction, InsertActive, [.. key, ("@at", at), ("@deltas", JsonSerializer.Serialize(command.Deltas))]).ConfigureAwait(false);
            effects = command.Deltas.Select(d => (d, d.Delta, d.Hides ? 1 : 0)).ToList();
        }
        else
        {
            await Statements.ExecuteAsync(connection, transaction, DeleteActive, key).ConfigureAwait(false);
            var addedAt = DateTimeOffset.FromUnixTimeMilliseconds(active.AddedAt);
            effects = (JsonSerializer.Deserialize<List<TrackDelta>>(active.Deltas) ?? [])
                .Select(d => (d, learner.Undo(d.Delta, addedAt, command.At), d.Hides ? -1 : 0)).ToList();
        }

        var changed = new List<PreferenceEntry>(effects.Count);
        foreach (var (delta, amount, hide) in effects)
        {
            var (row, imported) = await CellAsync(connection, transaction, command.UserId, delta.TrackId).ConfigureAwait(false);
            var current = row ?? new PreferenceEntry(command.UserId, delta.TrackId, 0, command.At, 0);
            var next = learner.Apply(current, amount, hide, command.At);
            if (PreferenceLearner.IsEmpty(next))
            {
                await Statements.ExecuteAsync(connection, transaction, "DELETE FROM preferences WHERE user_id = @UserId AND track_id = @TrackId",
                    ("@UserId", next.UserId), ("@TrackId", next.TrackId)).ConfigureAwait(false);
                next = next with { Score = 0 };
            }
            else
            {
                await Statements.ExecuteAsync(connection, transaction, UpsertPreference,
                    ("@UserId", next.UserId), ("@TrackId", next.TrackId), ("@Score", next.Score), ("@HardDislikes", (long)next.HardDislikes),
                    ("@At", next.UpdatedAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
            }
            // The in-memory cell holds the import too, so the entry handed back carries it.
            changed.Add(ImportedScores.Combine(next, imported, learner));
        }
        await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Preferences, command.UserId, changed).ConfigureAwait(false);
        return new FeedbackResult(FeedbackOutcome.Applied, changed, added);
    }

    private const string SelectActive =
        """
        SELECT added_at, deltas FROM active_reactions
        WHERE platform = @Platform AND chat_id = @ChatId AND message_id = @MessageId AND user_id = @UserId AND emoji = @Emoji AND item_index = @Item
        """;

    private const string InsertEvent =
        """
        INSERT INTO feedback_events (event_id, user_id, platform, chat_id, message_id, emoji, item_index, action, signal, outcome, created_at)
        VALUES (@EventId, @UserId, @Platform, @ChatId, @MessageId, @Emoji, @ItemIndex, @Action, @Signal, @Outcome, @at)
        ON CONFLICT (event_id) DO NOTHING
        """;

    private const string InsertActive =
        """
        INSERT INTO active_reactions (platform, chat_id, message_id, user_id, emoji, item_index, added_at, deltas)
        VALUES (@Platform, @ChatId, @MessageId, @UserId, @Emoji, @Item, @at, @deltas)
        """;

    private const string DeleteActive =
        """
        DELETE FROM active_reactions
        WHERE platform = @Platform AND chat_id = @ChatId AND message_id = @MessageId AND user_id = @UserId AND emoji = @Emoji AND item_index = @Item
        """;

    private const string UpsertPreference =
        """
        INSERT INTO preferences (user_id, track_id, score, hard_dislikes, updated_at)
        VALUES (@UserId, @TrackId, @Score, @HardDislikes, @At)
        ON CONFLICT (user_id, track_id) DO UPDATE SET
            score = excluded.score, hard_dislikes = excluded.hard_dislikes, updated_at = excluded.updated_at
        """;

    /// <summary>
    /// One cell's explicit preference and what /link imported for it, in one statement. The imports are read before
    /// the preference is written, which is the same: feedback never changes them.
    /// </summary>
    private static async Task<(PreferenceEntry? Explicit, IReadOnlyList<ImportedScores.Row> Imported)> CellAsync(
        IDbConnection connection, IDbTransaction transaction, long userId, long trackId)
    {
        PreferenceEntry? explicitEntry = null;
        var imported = new List<ImportedScores.Row>();
        var rows = await Statements.RowsAsync(connection, transaction,
            """
            SELECT CAST(0 AS BIGINT) AS imported, score, hard_dislikes, updated_at FROM preferences WHERE user_id = @userId AND track_id = @trackId
            UNION ALL
            SELECT CAST(1 AS BIGINT), score, CAST(0 AS BIGINT), imported_at FROM imported_preferences WHERE user_id = @userId AND track_id = @trackId
            """, r => (Imported: r.GetInt64(0) != 0, Score: r.GetDouble(1), HardDislikes: r.GetInt64(2), At: r.GetInt64(3)), ("@userId", userId), ("@trackId", trackId)).ConfigureAwait(false);
        foreach (var row in rows)
        {
            if (row.Imported) imported.Add(new ImportedScores.Row(userId, trackId, row.Score, row.At));
            else explicitEntry = new PreferenceEntry(userId, trackId, row.Score, DateTimeOffset.FromUnixTimeMilliseconds(row.At), (int)row.HardDislikes);
        }
        return (explicitEntry, imported);
    }

    private static PreferenceEntry ToEntry(PreferenceRow row) =>
        new(row.UserId, row.TrackId, row.Score, DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt), (int)row.HardDislikes);
}
