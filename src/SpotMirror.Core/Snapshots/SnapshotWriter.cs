using System.Runtime.InteropServices;

namespace SpotMirror.Core.Snapshots;

/// <summary>
/// Writes a start-up snapshot as raw little-endian arrays in fixed-size blocks, each folded into a running
/// checksum as it is flushed, so a reader that reads the same block sizes gets the same sum however the
/// writes were cut. The caller owns the stream; <see cref="Complete"/> appends the checksum.
/// </summary>
public sealed class SnapshotWriter(Stream stream)
{
    internal const int BlockSize = 1 << 20;
    private readonly byte[] _block = new byte[BlockSize];
    private int _used;
    private SnapshotChecksum _sum = SnapshotChecksum.Start();

    /// <summary>Bytes written so far (the checksum excluded).</summary>
    public long Length { get; private set; }

    public void Write<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(values);
        while (bytes.Length > 0)
        {
            var take = Math.Min(bytes.Length, BlockSize - _used);
            bytes[..take].CopyTo(_block.AsSpan(_used));
            _used += take;
            Length += take;
            bytes = bytes[take..];
            if (_used == BlockSize) Flush();
        }
    }

    public void Write<T>(T value) where T : unmanaged => Write(MemoryMarshal.CreateReadOnlySpan(ref value, 1));

    public void WriteArray<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        Write(values.Length);
        Write(values);
    }

    /// <summary>Strings as one length array (-1 for null) and one run of UTF-16 characters.</summary>
    public void WriteStrings(IReadOnlyList<string?> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        var lengths = new int[strings.Count];
        for (var i = 0; i < lengths.Length; i++) lengths[i] = strings[i]?.Length ?? -1;
        WriteArray<int>(lengths);
        foreach (var s in strings) if (s is not null) Write(s.AsSpan());
    }

    /// <summary>Flushes the last block and appends the checksum of everything written.</summary>
    public void Complete()
    {
        Flush();
        var sum = _sum.Value;
        stream.Write(MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(ref sum, 1)));
    }

    private void Flush()
    {
        if (_used == 0) return;
        _sum.Add(_block.AsSpan(0, _used));
        stream.Write(_block, 0, _used);
        _used = 0;
    }
}

/// <summary>A 64-bit checksum over blocks (four independent lanes, so it runs at memory speed); not cryptographic.</summary>
internal struct SnapshotChecksum
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private ulong _a, _b, _c, _d;
    private long _length;

    public static SnapshotChecksum Start() => new() { _a = Prime1, _b = Prime2, _c = 1, _d = Prime1 ^ Prime2 };

    public void Add(ReadOnlySpan<byte> block)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(block);
        var i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            _a = Mix(_a, words[i]);
            _b = Mix(_b, words[i + 1]);
            _c = Mix(_c, words[i + 2]);
            _d = Mix(_d, words[i + 3]);
        }
        for (; i < words.Length; i++) _a = Mix(_a, words[i]);
        foreach (var b in block[(words.Length * 8)..]) _b = Mix(_b, b);
        _length += block.Length;
    }

    public readonly ulong Value
    {
        get
        {
            var h = ulong.RotateLeft(_a, 1) + ulong.RotateLeft(_b, 7) + ulong.RotateLeft(_c, 12) + ulong.RotateLeft(_d, 18);
            h = Mix(h, (ulong)_length);
            h ^= h >> 33;
            h *= Prime2;
            return h ^ (h >> 29);
        }
    }

    private static ulong Mix(ulong lane, ulong word) => ulong.RotateLeft(lane + (word * Prime2), 31) * Prime1;
}
