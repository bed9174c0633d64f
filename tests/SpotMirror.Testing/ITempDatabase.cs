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

    static ITempDatabase Create(StoreProvider provider) => provider switch
    {
        StoreProvider.Postgres => new TempPostgresDatabase(),
        _ => new TempDatabase(),
    };
}
