namespace SpotMirror.Core.Ports;

/// <summary>Why the store could not take a write just now. Neither is a bug here, and both pass: the caller may try again later.</summary>
public enum StoreFault
{
    /// <summary>Another process holds the database's write lock beyond the wait allowed.</summary>
    Busy,
    /// <summary>The disk (or the database's size limit) is full.</summary>
    Full,
}

/// <summary>The store refused a write for a passing reason (busy or full): nothing of that write was kept.</summary>
public sealed class StoreFaultException(StoreFault fault, string message, Exception? inner) : Exception(message, inner)
{
    public StoreFault Fault { get; } = fault;
}
