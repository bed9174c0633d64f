using System.Runtime.InteropServices;

namespace SpotMirror.Core.Snapshots;

/// <summary>
/// Reads what <see cref="SnapshotWriter"/> wrote, block by block, checking the sum at the end. A short or
/// damaged file throws <see cref="InvalidDataException"/>; a caller treats any of it as no snapshot.
/// </summary>
public sealed class SnapshotReader
{
    private readonly Stream _stream;
    private long _remaining;
    private readonly byte[] _block = new byte[SnapshotWriter.BlockSize];
    private int _filled;
    private int _at;
    private SnapshotChecksum _sum = SnapshotChecksum.Start();

    /// <summary>Over a seekable stream at its start: everything but the last 8 bytes (the sum) is data.</summary>
    public SnapshotReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _remaining = stream.Length - stream.Position - sizeof(ulong);
        if (_remaining < 0) throw new InvalidDataException("the snapshot ends early");
    }

    public void Read<T>(Span<T> values) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        while (bytes.Length > 0)
        {
            if (_at == _filled) Fill();
            var take = Math.Min(bytes.Length, _filled - _at);
            _block.AsSpan(_at, take).CopyTo(bytes);
            _at += take;
            bytes = bytes[take..];
        }
    }

    public T Read<T>() where T : unmanaged
    {
        T value = default;
        Read(MemoryMarshal.CreateSpan(ref value, 1));
        return value;
    }

    /// <summary>An array written by <see cref="SnapshotWriter.WriteArray{T}"/>; a length beyond limit is damage.</summary>
    public T[] ReadArray<T>(int limit = int.MaxValue) where T : unmanaged
    {
        var length = Read<int>();
        if (length < 0 || length > limit || (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>() > _remaining + (_filled - _at)) throw new InvalidDataException($"an array of {length} items in the snapshot");
        var values = GC.AllocateUninitializedArray<T>(length);
        Read<T>(values);
        return values;
    }

    public string?[] ReadStrings()
    {
        var lengths = ReadArray<int>();
        var chars = 0L;
        foreach (var length in lengths) chars += Math.Max(0, length);
        if (chars * sizeof(char) > _remaining + (_filled - _at)) throw new InvalidDataException("the snapshot's strings run past its end");
        var strings = new string?[lengths.Length];
        var buffer = new char[256];
        for (var i = 0; i < lengths.Length; i++)
        {
            var length = lengths[i];
            if (length < 0) continue;
            if (length > buffer.Length) buffer = new char[Math.Max(length, buffer.Length * 2)];
            Read(buffer.AsSpan(0, length));
            strings[i] = new string(buffer, 0, length);
        }
        return strings;
    }

    /// <summary>Checks that everything was read and the sum matches.</summary>
    public void Complete()
    {
        if (_at != _filled || _remaining != 0) throw new InvalidDataException("the snapshot has bytes its sections do not account for");
        Span<byte> tail = stackalloc byte[9];
        var read = _stream.ReadAtLeast(tail, tail.Length, throwOnEndOfStream: false);
        if (read != 8 || MemoryMarshal.Read<ulong>(tail) != _sum.Value) throw new InvalidDataException("the snapshot's checksum does not match");
    }

    private void Fill()
    {
        // Blocks are read whole, as they were written, so the sum sees the same cuts.
        var size = (int)Math.Min(_block.Length, _remaining);
        if (size == 0) throw new InvalidDataException("the snapshot ends early");
        _stream.ReadExactly(_block, 0, size);
        _remaining -= size;
        _sum.Add(_block.AsSpan(0, size));
        (_filled, _at) = (size, 0);
    }
}
