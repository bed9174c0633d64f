using SpotMirror.Core.Ports;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;

namespace SpotMirror.Testing;

/// <summary>A real SQLite file in a fresh temporary folder, deleted (with its WAL files) on dispose.</summary>
public sealed class TempDatabase : ITempDatabase
{
    private readonly string _folder;

    /// <param name="wal">When the WAL is copied into the file (small limits for the checkpoint's own tests); null: the defaults.</param>
    public TempDatabase(bool groupCommit = true, WalLimits? wal = null)
    {
        _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "spotmirror-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, "spotmirror.db");
        Database = new SqliteDatabase(Path, groupCommit, wal: wal);
    }

    public string Path { get; }
    public SqliteDatabase Database { get; }

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
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold the file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
