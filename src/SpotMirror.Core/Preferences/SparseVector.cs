namespace SpotMirror.Core.Preferences;

/// <summary>
/// A growable sparse vector kept as two parallel arrays (keys and values), not as a hash table: at ten
/// million preferences a dictionary per row and per column costs several times the bytes of the data.
/// Sorted vectors find a key by binary search; unsorted ones (the columns, which grow in arrival order)
/// by a linear scan, which only feedback on an existing cell needs.
/// </summary>
internal sealed class SparseVector(bool sorted)
{
    private long[] _keys = [];
    private double[] _values = [];

    /// <summary>A vector over arrays built to size (sorted by key when sorted is true); it takes them over.</summary>
    public SparseVector(bool sorted, long[] keys, double[] values)
        : this(sorted)
    {
        _keys = keys;
        _values = values;
        Count = keys.Length;
    }

    public int Count { get; private set; }

    public ReadOnlySpan<long> Keys => _keys.AsSpan(0, Count);

    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    public bool TryGetValue(long key, out double value)
    {
        var at = IndexOf(key);
        value = at >= 0 ? _values[at] : 0;
        return at >= 0;
    }

    /// <summary>Sets the key's value; returns the old value, or null when the key is new.</summary>
    public double? Set(long key, double value)
    {
        var at = IndexOf(key);
        if (at >= 0)
        {
            var old = _values[at];
            _values[at] = value;
            return old;
        }
        var slot = sorted ? ~at : Count;
        Grow();
        if (slot < Count)
        {
            Array.Copy(_keys, slot, _keys, slot + 1, Count - slot);
            Array.Copy(_values, slot, _values, slot + 1, Count - slot);
        }
        _keys[slot] = key;
        _values[slot] = value;
        Count++;
        return null;
    }

    /// <summary>Appends a key known to be absent (a bulk load that already checked the other side).</summary>
    public void AppendNew(long key, double value)
    {
        if (sorted && Count > 0 && _keys[Count - 1] >= key)
        {
            Set(key, value);
            return;
        }
        Grow();
        _keys[Count] = key;
        _values[Count] = value;
        Count++;
    }

    public bool Remove(long key, out double value)
    {
        var at = IndexOf(key);
        if (at < 0)
        {
            value = 0;
            return false;
        }
        value = _values[at];
        Count--;
        if (sorted)
        {
            Array.Copy(_keys, at + 1, _keys, at, Count - at);
            Array.Copy(_values, at + 1, _values, at, Count - at);
        }
        else
        {
            _keys[at] = _keys[Count];
            _values[at] = _values[Count];
        }
        return true;
    }

    /// <summary>Gives back the slack that doubling left (after a bulk load).</summary>
    public void Trim()
    {
        if (_keys.Length == Count) return;
        Array.Resize(ref _keys, Count);
        Array.Resize(ref _values, Count);
    }

    private int IndexOf(long key)
    {
        if (sorted) return Array.BinarySearch(_keys, 0, Count, key);
        var at = Array.IndexOf(_keys, key, 0, Count);
        return at >= 0 ? at : ~Count;
    }

    private void Grow()
    {
        if (Count < _keys.Length) return;
        var size = Math.Max(4, _keys.Length * 2);
        Array.Resize(ref _keys, size);
        Array.Resize(ref _values, size);
    }
}
