namespace SpotMirror.Storage;

/// <summary>A read-only, seekable stream over byte spans laid end to end, each fetched when it is read (see <see cref="LearnedModelFile.OpenRead"/>).</summary>
internal sealed class SectionStream : Stream
{
    public delegate ReadOnlySpan<byte> Section();

    private readonly Section[] _sections;
    private readonly long[] _starts;
    private long _position;

    public SectionStream(Section[] sections)
    {
        _sections = sections;
        _starts = new long[sections.Length + 1];
        for (var i = 0; i < sections.Length; i++) _starts[i + 1] = _starts[i] + sections[i]().Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _starts[^1];

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(Span<byte> buffer)
    {
        var copied = 0;
        while (copied < buffer.Length && _position < Length)
        {
            var at = Array.BinarySearch(_starts, _position);
            // Empty sections share their start with the next one: take the last section that starts here.
            var index = at >= 0 ? LastStartingAt(at) : ~at - 1;
            var source = _sections[index]()[(int)(_position - _starts[index])..];
            var count = Math.Min(source.Length, buffer.Length - copied);
            source[..count].CopyTo(buffer[copied..]);
            copied += count;
            _position += count;
        }
        return copied;
    }

    private int LastStartingAt(int index)
    {
        while (index + 1 < _sections.Length && _starts[index + 1] == _starts[index]) index++;
        return index;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("The stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The stream is read-only.");
}
