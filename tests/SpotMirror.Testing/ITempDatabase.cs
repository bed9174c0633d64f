using SpotMirror.Core.Ports;
using SpotMirror.Storage;

namespace SpotMirror.Testing;

/// <summary>Which database a store test runs on: every store test runs on both.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>A fresh, empty database of either provider, gone on dispose.</summary>
public interface ITempDatabase : IDisposable
{
    IDatabase Database { get; }

    /// <summary>Runs one store call in a unit of work of its own, committed when it returns.</summary>
    Task<T> Alone<T>(Func<IUnitOfWork, Task<T>> work);

    /// <summary>Runs one store call in a unit of work of its own, committed when it returns.</summary>
    Task Alone(Func<IUnitOfWork, Task> work);

    /// <param name="groupCommit">False gives every unit of work a transaction of its own.</param>
    static ITempDatabase Create(StoreProvider provider, bool groupCommit = true) => provider switch
    {
        StoreProvider.Postgres => new TempPostgresDatabase(groupCommit),
        _ => new TempDatabase(groupCommit),
    };
}
