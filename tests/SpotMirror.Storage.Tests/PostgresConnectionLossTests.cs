using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;
using SpotMirror.Core.Ports;
using SpotMirror.Storage.Postgres;
using SpotMirror.Testing;

namespace SpotMirror.Storage.Tests;

/// <summary>The server ends the worker's connections (pg_terminate_backend, as a restart or a network cut would).</summary>
public sealed class PostgresConnectionLossTests : IDisposable
{
    private readonly TempPostgresDatabase _db = new();
    private readonly Lines _log = new();
    private readonly PostgresDatabase _database;

    public PostgresConnectionLossTests()
    {
        _database = new PostgresDatabase(_db.ConnectionString, _log);
        _database.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _database.Dispose();
        _db.Dispose();
    }

    [Fact]
    public async Task A_write_after_the_server_ended_every_connection_succeeds_on_a_new_one_with_one_log_line()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => WriteAsync($"before-{i}")));
        await TerminateEveryConnectionAsync();

        await WriteAsync("after");
        await WriteAsync("after-again");

        Assert.Equal(3, await CountAsync("after%") + await CountAsync("before-0"));
        var lost = Assert.Single(_log.Snapshot(), l => l.Contains("Lost the connection", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', lost);
        Assert.DoesNotContain(PostgresCluster.Shared.Password, string.Join(' ', _log.Snapshot()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_after_the_server_ended_every_connection_succeeds_on_a_new_one()
    {
        await WriteAsync("kept");
        await TerminateEveryConnectionAsync();

        Assert.Equal(1, await CountAsync("kept"));
    }

    [Fact]
    public async Task A_connection_lost_in_the_middle_of_a_unit_fails_it_as_unreachable_and_keeps_none_of_it()
    {
        var fault = await Assert.ThrowsAsync<StoreFaultException>(() => _database.RunAsync(async (unit, ct) =>
        {
            await _database.WriteAsync(unit, (c, t) => c.ExecuteAsync("INSERT INTO checkpoints (connection, position, updated_at) VALUES ('half', '1', 0)", transaction: t), ct);
            await TerminateEveryConnectionAsync();
            return await _database.WriteAsync(unit, (c, t) => c.ExecuteAsync("INSERT INTO checkpoints (connection, position, updated_at) VALUES ('other-half', '1', 0)", transaction: t), ct);
        }, CancellationToken.None));
        await WriteAsync("next");

        Assert.Equal(StoreFault.Unreachable, fault.Fault);
        Assert.Contains("nothing of it was kept", fault.Message, StringComparison.Ordinal);
        Assert.Equal((0, 1), (await CountAsync("%half"), await CountAsync("next")));
    }

    private Task<int> WriteAsync(string name) => _database.WriteAsync((c, t) => c.ExecuteAsync(
        "INSERT INTO checkpoints (connection, position, updated_at) VALUES (@name, '1', 0)", new { name }, t), CancellationToken.None);

    private Task<long> CountAsync(string pattern) => _database.ReadAsync(c => c.ExecuteScalarAsync<long>(
        "SELECT COUNT(*) FROM checkpoints WHERE connection LIKE @pattern", new { pattern }), CancellationToken.None);

    /// <summary>From a connection of the test's own: every other session on this database is ended by the server.</summary>
    private async Task TerminateEveryConnectionAsync()
    {
        var database = new NpgsqlConnectionStringBuilder(_db.ConnectionString).Database;
        await using var admin = new NpgsqlConnection(PostgresCluster.Shared.ConnectionString());
        await admin.OpenAsync();
        var ended = await admin.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()) AS t", new { database });
        Assert.True(ended > 0, "no connection of the database's pool was open to end");
    }

    private sealed class Lines : ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Snapshot() => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue(formatter(state, exception));
    }
}
