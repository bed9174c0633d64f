using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SpotMirror.Runtime.Tests;

/// <summary>The formatted log lines of every logger made from it, for tests that assert what a service said.</summary>
internal sealed class LogLines : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Snapshot() => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Sink(_lines);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Sink(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));
    }
}
