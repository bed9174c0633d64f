using SpotMirror.Testing;
using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;

namespace SpotMirror.Http.Tests.Web;

/// <summary>The console chat's standard input and output, driven by a test: lines go in, printed lines come out.</summary>
public sealed class ConsoleDriver : IDisposable
{
    private readonly Channel<string?> _input = Channel.CreateUnbounded<string?>();
    private readonly LineWriter _output = new();

    public TextReader Input => new ChannelReaderText(_input.Reader);
    public TextWriter Output => _output;

    /// <summary>Types a line and waits until the console has printed a line matching <paramref name="until"/>; returns the lines printed meanwhile.</summary>
    public async Task<IReadOnlyList<string>> SayAsync(string line, Func<string, bool> until)
    {
        var start = _output.Count;
        await _input.Writer.WriteAsync(line);
        return await Eventually.WaitAsync(
            () => Task.FromResult(_output.Since(start)), printed => printed.Any(until), TimeSpan.FromSeconds(30),
            printed => $"The console never answered \"{line}\" as expected; it printed: {string.Join(" | ", printed)}");
    }

    public void Close() => _input.Writer.TryComplete();

    public void Dispose()
    {
        Close();
        _output.Dispose();
    }

    private sealed class ChannelReaderText(ChannelReader<string?> reader) : TextReader
    {
        public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await reader.ReadAsync(cancellationToken);
            }
            catch (ChannelClosedException)
            {
                return null;
            }
        }

        public override Task<string?> ReadLineAsync() => ReadLineAsync(CancellationToken.None).AsTask();
    }

    private sealed class LineWriter : TextWriter
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public int Count => _lines.Count;

        public List<string> Since(int start) => [.. _lines.Skip(start)];

        public override void Write(char value)
        {
            lock (_pending)
            {
                if (value == '\n')
                {
                    _lines.Enqueue(_pending.ToString().TrimEnd('\r'));
                    _pending.Clear();
                }
                else
                {
                    _pending.Append(value);
                }
            }
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write('\n');
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }

        public override Task WriteAsync(string? value)
        {
            Write(value);
            return Task.CompletedTask;
        }

        public override Task FlushAsync() => Task.CompletedTask;

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
