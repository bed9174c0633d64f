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

    private async Task<FeedbackResult> ApplyAsync(IDbConnection connection, IDbTransaction transaction, FeedbackCommand command)
    {
        var at = command.At.ToUnixTimeMilliseconds();
        var logged = await connection.ExecuteAsync(
            """
            INSERT INTO feedback_events (event_id, user_id, platform, chat_id, message_id, emoji, item_index, action, signal, outcome, created_at)
            VALUES (@EventId, @UserId, @Platform, @ChatId, @MessageId, @Emoji, @ItemIndex, @Action, @Signal, 'pending', @at)
            ON CONFLICT (event_id) DO NOTHING
            """,
            new
            {
                command.EventId, command.UserId, command.Platform, command.ChatId, command.MessageId, command.Emoji, command.ItemIndex,
                // A toggle is logged as "add" until the active reactions tell which way it goes (SetOutcomeAsync).
                Action = command.Toggle || command.Added ? "add" : "remove", Signal = command.Signal.ToString().ToLowerInvariant(), at,
            }, transaction).ConfigureAwait(false);
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

        var key = new { command.Platform, command.ChatId, command.MessageId, command.UserId, command.Emoji, Item = command.ItemIndex ?? 0 };
        var active = await connection.QuerySingleOrDefaultAsync<ActiveRow>(
            """
            SELECT added_at, deltas FROM active_reactions
            WHERE platform = @Platform AND chat_id = @ChatId AND message_id = @MessageId AND user_id = @UserId AND emoji = @Emoji AND item_index = @Item
            """, key, transaction).ConfigureAwait(false);

        var added = command.Toggle ? active is null : command.Added;
        List<(TrackDelta Delta, double Amount, int Hide)> effects;
        if (added && active is null)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO active_reactions (platform, chat_id, message_id, user_id, emoji, item_index, added_at, deltas)
                VALUES (@Platform, @ChatId, @MessageId, @UserId, @Emoji, @Item, @at, @deltas)
                """,
                new { key.Platform, key.ChatId, key.MessageId, key.UserId, key.Emoji, key.Item, at, deltas = JsonSerializer.Serialize(command.Deltas) },
                transaction).ConfigureAwait(false);
            effects = command.Deltas.Select(d => (d, d.Delta, d.Hides ? 1 : 0)).ToList();
        }
        else if (!added && active is not null)
        {
            await connection.ExecuteAsync(
                """
                DELETE FROM active_reactions
                WHERE platform = @Platform AND chat_id = @ChatId AND message_id = @MessageId AND user_id = @UserId AND emoji = @Emoji AND item_index = @Item
                """, key, transaction).ConfigureAwait(false);
            var addedAt = DateTimeOffset.FromUnixTimeMilliseconds(active.AddedAt);
            effects = (JsonSerializer.Deserialize<List<TrackDelta>>(active.Deltas) ?? [])
                .Select(d => (d, learner.Undo(d.Delta, addedAt, command.At), d.Hides ? -1 : 0)).ToList();
        }
        else
        {
            await SetOutcomeAsync(connection, transaction, command.EventId, "no-change", added).ConfigureAwait(false);
            return new FeedbackResult(FeedbackOutcome.NoChange, [], added);
        }

        var changed = new List<PreferenceEntry>(effects.Count);
        foreach (var (delta, amount, hide) in effects)
        {
            var row = await connection.QuerySingleOrDefaultAsync<PreferenceRow>(
                "SELECT user_id, track_id, score, hard_dislikes, updated_at FROM preferences WHERE user_id = @UserId AND track_id = @TrackId",
                new { command.UserId, delta.TrackId }, transaction).ConfigureAwait(false);
            var current = row is null ? new PreferenceEntry(command.UserId, delta.TrackId, 0, command.At, 0) : ToEntry(row);
            var next = learner.Apply(current, amount, hide, command.At);
            if (PreferenceLearner.IsEmpty(next))
            {
                await connection.ExecuteAsync(
                    "DELETE FROM preferences WHERE user_id = @UserId AND track_id = @TrackId", new { next.UserId, next.TrackId }, transaction).ConfigureAwait(false);
                next = next with { Score = 0 };
            }
            else
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO preferences (user_id, track_id, score, hard_dislikes, updated_at)
                    VALUES (@UserId, @TrackId, @Score, @HardDislikes, @At)
                    ON CONFLICT (user_id, track_id) DO UPDATE SET
                        score = excluded.score, hard_dislikes = excluded.hard_dislikes, updated_at = excluded.updated_at
                    """,
                    new { next.UserId, next.TrackId, next.Score, next.HardDislikes, At = next.UpdatedAt.ToUnixTimeMilliseconds() }, transaction).ConfigureAwait(false);
            }
            // The in-memory cell holds the import too, so the entry handed back carries it.
            changed.Add(ImportedScores.Combine(next, await ImportedScores.OfAsync(connection, transaction, next.UserId, next.TrackId).ConfigureAwait(false), learner));
        }
        await SetOutcomeAsync(connection, transaction, command.EventId, "applied", added).ConfigureAwait(false);
        await ChangeLog.AppendAsync(connection, transaction, ChangeKind.Preferences, command.UserId, changed).ConfigureAwait(false);
        return new FeedbackResult(FeedbackOutcome.Applied, changed, added);
    }

    /// <summary>Records the outcome, and the action a toggle turned out to be, so the log replays without guessing.</summary>
    private static Task<int> SetOutcomeAsync(IDbConnection connection, IDbTransaction transaction, string eventId, string outcome, bool added) =>
        connection.ExecuteAsync(
            "UPDATE feedback_events SET outcome = @outcome, action = @action WHERE event_id = @eventId",
            new { outcome, eventId, action = added ? "add" : "remove" }, transaction);

    private static PreferenceEntry ToEntry(PreferenceRow row) =>
        new(row.UserId, row.TrackId, row.Score, DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt), (int)row.HardDislikes);
}
