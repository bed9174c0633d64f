using System.Data;
using Dapper;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Storage;

/// <summary>
/// Preferences imported by /link, added on top of the preference table when preferences are read into
/// memory. They never touch the preference table itself, so /unlink only has to delete them.
/// </summary>
internal static class ImportedScores
{
    internal sealed record Row(long UserId, long TrackId, double Score, long ImportedAt);

    public static async Task<IReadOnlyList<Row>> AllAsync(IDbConnection connection) =>
        (await connection.QueryAsync<Row>("SELECT user_id, track_id, score, imported_at FROM imported_preferences").ConfigureAwait(false)).ToList();

    public static async Task<IReadOnlyList<Row>> OfAsync(IDbConnection connection, IDbTransaction? transaction, long userId, long trackId) =>
        (await connection.QueryAsync<Row>(
            "SELECT user_id, track_id, score, imported_at FROM imported_preferences WHERE user_id = @userId AND track_id = @trackId",
            new { userId, trackId }, transaction).ConfigureAwait(false)).ToList();

    /// <summary>
    /// The explicit entry with the imported scores added: everything decayed to the latest of their times,
    /// so the sum is what the two would be apart. Hiding comes from explicit feedback only.
    /// </summary>
    public static PreferenceEntry Combine(PreferenceEntry explicitEntry, IEnumerable<Row> imported, PreferenceLearner learner)
    {
        var rows = imported.ToList();
        if (rows.Count == 0) return explicitEntry;
        var at = explicitEntry.UpdatedAt;
        foreach (var row in rows)
        {
            var importedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.ImportedAt);
            if (importedAt > at) at = importedAt;
        }
        var score = explicitEntry.Score * learner.Decay(at - explicitEntry.UpdatedAt);
        foreach (var row in rows) score += row.Score * learner.Decay(at - DateTimeOffset.FromUnixTimeMilliseconds(row.ImportedAt));
        return explicitEntry with { Score = score, UpdatedAt = at };
    }

    /// <summary>Every explicit entry with its imports added, plus entries for tracks known by import alone.</summary>
    public static IReadOnlyList<PreferenceEntry> Merge(IReadOnlyList<PreferenceEntry> explicitEntries, IReadOnlyList<Row> imported, PreferenceLearner learner)
    {
        if (imported.Count == 0) return explicitEntries;
        var byCell = imported.ToLookup(r => (r.UserId, r.TrackId));
        var merged = explicitEntries.Select(e => Combine(e, byCell[(e.UserId, e.TrackId)], learner)).ToList();
        var explicitCells = explicitEntries.Select(e => (e.UserId, e.TrackId)).ToHashSet();
        foreach (var cell in byCell.Where(g => !explicitCells.Contains(g.Key)))
        {
            var first = cell.First();
            var empty = new PreferenceEntry(cell.Key.UserId, cell.Key.TrackId, 0, DateTimeOffset.FromUnixTimeMilliseconds(first.ImportedAt), 0);
            merged.Add(Combine(empty, cell, learner));
        }
        return merged;
    }
}
