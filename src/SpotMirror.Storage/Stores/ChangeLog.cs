using System.Data;
using System.Text.Json;
using Dapper;
using Npgsql;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Storage;

/// <summary>Appends to the change feed inside the transaction that makes the change (see migration 0008).</summary>
internal static class ChangeLog
{
    /// <summary>The PostgreSQL channel a commit with changes notifies; followers LISTEN on it.</summary>
    internal const string Channel = "spotmirror_changes";

    /// <summary>LISTEN takes no parameter, so the statement is a constant of its own.</summary>
    internal const string Listen = "LISTEN spotmirror_changes";

    /// <summary>This process, as the writer of a change: new at every start.</summary>
    internal static readonly string Origin = Guid.NewGuid().ToString("N");

    internal static async Task AppendAsync(IDbConnection connection, IDbTransaction transaction, ChangeKind kind, long? userId, IReadOnlyList<PreferenceEntry> entries)
    {
        await Statements.ExecuteAsync(connection, transaction,
            "INSERT INTO changes (kind, user_id, entries, origin, created_at) VALUES (@kind, @userId, @entries, @origin, @at)",
            ("@kind", Name(kind)), ("@userId", userId), ("@entries", JsonSerializer.Serialize(entries)), ("@origin", Origin), ("@at", IDatabase.Now())).ConfigureAwait(false);
        // NOTIFY is delivered at commit (never for a rollback), and several in one transaction arrive as one.
        if (connection is NpgsqlConnection)
        {
            await connection.ExecuteAsync("SELECT pg_notify(@channel, '')", new { channel = Channel }, transaction).ConfigureAwait(false);
        }
    }

    internal static string Name(ChangeKind kind) => kind switch
    {
        ChangeKind.Forget => "forget",
        ChangeKind.Catalogue => "catalogue",
        ChangeKind.Model => "model",
        _ => "preferences",
    };

    internal static ChangeKind Parse(string kind) => kind switch
    {
        "forget" => ChangeKind.Forget,
        "catalogue" => ChangeKind.Catalogue,
        "model" => ChangeKind.Model,
        _ => ChangeKind.Preferences,
    };
}

/// <summary>The change feed over the configured database.</summary>
public sealed class SqlChangeFeed(IDatabase database) : IChangeFeed
{
    private sealed record ChangeRow(long Id, string Kind, long? UserId, string Entries, string Origin);

    public Task<long> LastIdAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) FROM changes", cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<Change>> AfterAsync(long id, int max, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Change>>(async c => (await c.QueryAsync<ChangeRow>(new CommandDefinition(
            "SELECT id, kind, user_id, entries, origin FROM changes WHERE id > @id ORDER BY id LIMIT @max", new { id, max }, cancellationToken: cancellationToken)).ConfigureAwait(false))
            .Select(r => new Change(r.Id, ChangeLog.Parse(r.Kind), r.UserId, JsonSerializer.Deserialize<List<PreferenceEntry>>(r.Entries) ?? [], r.Origin == ChangeLog.Origin))
            .ToList(), cancellationToken);

    public Task WaitAsync(TimeSpan max, CancellationToken cancellationToken) => database.WaitForChangesAsync(max, cancellationToken);

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM changes WHERE created_at < @cutoff", new { cutoff = before.ToUnixTimeMilliseconds() }, t, cancellationToken: cancellationToken)), cancellationToken);
}
