namespace SpotMirror.Storage.Sqlite;

/// <summary>The database cannot be used as the product needs it (read-only, for one); the message is the one line to show.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    // PostgreSQL's failures keep the driver's exception underneath, for the log.
    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
