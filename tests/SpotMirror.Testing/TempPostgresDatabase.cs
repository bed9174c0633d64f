using SpotMirror.Core.Ports;
using SpotMirror.Storage;
using SpotMirror.Storage.Postgres;

namespace SpotMirror.Testing;

/// <summary>A fresh, empty database on the test run's PostgreSQL cluster, dropped on dispose.</summary>
public sealed class TempPostgresDatabase : ITempDatabase
{
    public TempPostgresDatabase(bool groupCommit = true)
    {
        ConnectionString = PostgresCluster.Shared.CreateDatabase();
        Database = new PostgresDatabase(ConnectionString, groupCommit: groupCommit);
    }

    public string ConnectionString { get; }
    public PostgresDatabase Database { get; }

    IDatabase ITempDatabase.Database => Database;

    /// <summary>Runs one store call in a unit of work of its own, committed when it returns.</summary>
    public Task<T> Alone<T>(Func<IUnitOfWork, Task<T>> work) => Database.RunAsync((unit, _) => work(unit), CancellationToken.None);

    /// <summary>Runs one store call in a unit of work of its own, committed when it returns.</summary>
    public Task Alone(Func<IUnitOfWork, Task> work) => Database.RunAsync(async (unit, _) =>
    {
        await work(unit);
        return 0;
    }, CancellationToken.None);

    public void Dispose()
    {
        Database.Dispose();
        PostgresCluster.Shared.DropDatabase(ConnectionString);
    }
}
