namespace SpotMirror.Storage;

/// <summary>The database cannot be used as configured (unreachable, wrong password, a newer schema); the message is one sentence fit to show, with no secret.</summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
