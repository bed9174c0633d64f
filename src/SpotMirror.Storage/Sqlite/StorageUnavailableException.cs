namespace SpotMirror.Storage.Sqlite;

/// <summary>The database cannot be used as the product needs it (read-only, for one); the message is the one line to show.</summary>
public sealed class StorageUnavailableException(string message) : Exception(message);
