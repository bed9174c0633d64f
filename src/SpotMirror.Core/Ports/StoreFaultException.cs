namespace SpotMirror.Core.Ports;

/// <summary>Why the store could not take a write just now. None is a bug here, and each passes: the caller may try again later.</summary>
public enum StoreFault
{
    /// <summary>Another process holds the database's write lock beyond the wait allowed.</summary>
    Busy,
    /// <summary>The disk (or the database's size limit) is full.</summary>
    Full,
    /// <summary>The connection to the database server was lost and could not be made again at once.</summary>
    Unreachable,
}

/// <summary>The store refused a write for a passing reason (busy, full, unreachable): nothing of that write was kept, unless the message says the outcome is unknown.</summary>
public sealed class StoreFaultException(StoreFault fault, string message, Exception? inner) : Exception(message, inner)
{
    public StoreFault Fault { get; } = fault;
}
