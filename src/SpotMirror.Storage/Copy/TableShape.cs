using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Storage.Copy;

/// <summary>
/// One table's columns, primary key and identity columns as the target's catalogue has them, and the
/// statements that copy it. Table and column names cannot be parameters: they come from <see cref="CopyPlan"/>
/// and the database's own catalogue, are checked to be plain lower-case identifiers, and are quoted; every
/// value still travels as a parameter.
/// </summary>
internal sealed partial class TableShape
{
    private TableShape(string table, IReadOnlyList<string> columns, IReadOnlyList<string> keys, IReadOnlyList<string> identities)
    {
        Table = table;
        Columns = columns;
        var keyIndexes = keys.Select(k => columns.ToList().IndexOf(k)).ToArray();
        _keyIndexes = keyIndexes;
        var name = Quote(table);
        var list = string.Join(", ", columns.Select(Quote));
        var order = string.Join(", ", keys.Select(Quote));
        SourceCount = "SELECT COUNT(*) FROM " + name;
        SourceFirst = "SELECT " + list + " FROM " + name + " ORDER BY " + order + " LIMIT @limit";
        SourceAfter = "SELECT " + list + " FROM " + name + " WHERE (" + order + ") > (" + string.Join(", ", keys.Select((_, i) => "@k" + i)) + ") ORDER BY " + order + " LIMIT @limit";
        var values = string.Join(", ", columns.Select((_, i) => "$" + (i + 1)));
        // The key with "=" (never null), so the primary key's index finds the row; the rest may be null on both sides.
        var same = string.Join(" AND ", columns.Select((c, i) => Quote(c) + (keys.Contains(c) ? " = $" : " IS NOT DISTINCT FROM $") + (i + 1)));
        // The outer query reads the snapshot from before the insert: "same" counts a row that was already there and equal.
        TargetInsert = "WITH added AS (INSERT INTO " + name + " (" + list + ") OVERRIDING SYSTEM VALUE VALUES (" + values + ") ON CONFLICT (" + order + ") DO NOTHING RETURNING 1) "
            + "SELECT (SELECT COUNT(*) FROM added), (SELECT COUNT(*) FROM " + name + " WHERE " + same + ")";
        IdentityAdvances = identities.Select(c => (c, "SELECT setval(pg_get_serial_sequence(@table, @column), m) FROM (SELECT MAX(" + Quote(c) + ") AS m FROM " + name
            + ") AS x WHERE m > COALESCE(pg_sequence_last_value(CAST(pg_get_serial_sequence(@table, @column) AS regclass)), 0)")).ToList();
    }

    private readonly int[] _keyIndexes;

    public string Table { get; }
    public IReadOnlyList<string> Columns { get; }
    public string SourceCount { get; }
    public string SourceFirst { get; }
    public string SourceAfter { get; }
    public string TargetInsert { get; }
    public IReadOnlyList<(string Column, string Sql)> IdentityAdvances { get; }

    public object?[] KeyOf(object?[] row) => _keyIndexes.Select(i => row[i]).ToArray();

    public static async Task<TableShape> ReadAsync(NpgsqlConnection target, SqliteConnection source, string table, CancellationToken cancellationToken)
    {
        var columns = (await target.QueryAsync<(string Name, bool Identity)>(new CommandDefinition(
            "SELECT CAST(column_name AS TEXT), is_identity = 'YES' FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position",
            new { table }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        var keys = (await target.QueryAsync<string>(new CommandDefinition(
            """
            SELECT CAST(a.attname AS TEXT) FROM pg_index i
            CROSS JOIN LATERAL unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS k(attnum, n)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = to_regclass(@table) AND i.indisprimary ORDER BY k.n
            """, new { table }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToList();
        if (columns.Count == 0 || keys.Count == 0) throw new StorageUnavailableException($"The target has no table {table} with a primary key after migrating; it is not a SpotMirror database at this build's schema.");
        var sourceColumns = (await source.QueryAsync<string>(new CommandDefinition("SELECT name FROM pragma_table_info(@table)", new { table }, cancellationToken: cancellationToken)).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        var missing = columns.Select(c => c.Name).Where(c => !sourceColumns.Contains(c)).ToList();
        if (missing.Count > 0) throw new StorageUnavailableException($"The source's table {table} has no column {string.Join(", ", missing)}; the two schemas differ, so nothing of {table} was copied.");
        return new TableShape(table, columns.Select(c => c.Name).ToList(), keys, columns.Where(c => c.Identity).Select(c => c.Name).ToList());
    }

    private static string Quote(string identifier) =>
        PlainIdentifier().IsMatch(identifier) ? "\"" + identifier + "\"" : throw new InvalidOperationException($"'{identifier}' is not a plain lower-case identifier.");

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex PlainIdentifier();
}
