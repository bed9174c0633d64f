using SpotMirror.Core.Snapshots;

namespace SpotMirror.Core.Preferences;

public sealed partial class PreferenceMatrix
{
    private const int RowsPerLock = 1024;

    /// <summary>
    /// Writes the rows (users in id order, each row's tracks in id order) with, per scored cell, the column
    /// slot a start-up table scan would have given its track, so that reading builds exactly the rows and
    /// columns a full load of the same cells builds. The shared lock is held for a page of rows at a time:
    /// feedback waits for one page, never for the whole file. A row that changes meanwhile is written as it
    /// then stands, which the caller's replay of the change feed from an earlier position puts right.
    /// </summary>
    public void WriteSnapshot(SnapshotWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        long[] users;
        _lock.EnterReadLock();
        int columns;
        try { (users, columns) = ([.. _rows.Keys], _columns.Count); }
        finally { _lock.ExitReadLock(); }
        Array.Sort(users);
        writer.Write(_epoch.UtcTicks);
        writer.Write(DecayProbe);
        writer.Write(users.Length);
        var slots = new Dictionary<long, int>(columns);
        var slotIds = new List<long>(columns);
        var rowSlots = new List<int>();
        for (var page = 0; page < users.Length; page += RowsPerLock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _lock.EnterReadLock();
            try
            {
                foreach (var user in users.AsSpan(page, Math.Min(RowsPerLock, users.Length - page)))
                {
                    if (!_rows.TryGetValue(user, out var row)) row = new UserRow();
                    var keys = row.Scaled.Keys;
                    long[] hidden = [.. row.Hidden];
                    Array.Sort(hidden);
                    // The scan meets scored and hidden-only cells in one track order; both take slots.
                    rowSlots.Clear();
                    for (int k = 0, h = 0; k < keys.Length || h < hidden.Length;)
                    {
                        var takeKey = h == hidden.Length || (k < keys.Length && keys[k] <= hidden[h]);
                        var track = takeKey ? keys[k] : hidden[h];
                        if (!slots.TryGetValue(track, out var slot))
                        {
                            slot = slotIds.Count;
                            slots[track] = slot;
                            slotIds.Add(track);
                        }
                        if (takeKey)
                        {
                            rowSlots.Add(slot);
                            if (h < hidden.Length && hidden[h] == track) h++;
                            k++;
                        }
                        else
                        {
                            h++;
                        }
                    }
                    writer.Write(user);
                    writer.WriteArray(keys);
                    writer.Write(row.Scaled.Values);
                    writer.Write<int>(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rowSlots));
                    writer.WriteArray<long>(hidden);
                }
            }
            finally { _lock.ExitReadLock(); }
        }
        writer.WriteArray<long>(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(slotIds));
    }

    /// <summary>
    /// Fills an empty matrix from <see cref="WriteSnapshot"/>'s output, as <see cref="BulkLoad.Finish"/> would
    /// from the same cells (up to the rounding of moving the scores to this matrix's epoch). Throws
    /// <see cref="InvalidDataException"/> when the file does not fit: another half-life, unsorted rows, slots out of range.
    /// </summary>
    public void ReadSnapshot(SnapshotReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var epoch = new DateTimeOffset(reader.Read<long>(), TimeSpan.Zero);
        if (reader.Read<double>() != DecayProbe) throw new InvalidDataException("the snapshot's preferences decay with another half-life");
        // Scores are scaled to the epoch of the process that wrote them; this one's epoch is its own start,
        // and one factor moves every score there (decay is exponential), as a full load would have scaled them.
        var rescale = _learner.Scale(epoch - _epoch);
        var count = reader.Read<int>();
        if (count < 0) throw new InvalidDataException("a negative row count in the snapshot");
        var userIds = new long[count];
        var rows = new UserRow?[count];
        var rowSlots = new int[count][];
        for (var u = 0; u < count; u++)
        {
            userIds[u] = reader.Read<long>();
            var keys = reader.ReadArray<long>();
            var values = new double[keys.Length];
            reader.Read<double>(values);
            if (rescale != 1) for (var j = 0; j < values.Length; j++) values[j] *= rescale;
            var slots = new int[keys.Length];
            reader.Read<int>(slots);
            var hidden = reader.ReadArray<long>();
            for (var j = 1; j < keys.Length; j++) if (keys[j] <= keys[j - 1]) throw new InvalidDataException("a row of the snapshot is not in track order");
            if (keys.Length == 0 && hidden.Length == 0) continue;
            var row = new UserRow(new SparseVector(sorted: true, keys, values));
            foreach (var h in hidden) row.SetHidden(h, true);
            foreach (var v in values) row.NormSquared += v * v;
            (rows[u], rowSlots[u]) = (row, slots);
        }
        var trackIds = reader.ReadArray<long>();

        var perTrack = new int[trackIds.Length];
        foreach (var slots in rowSlots)
        {
            if (slots is null) continue;
            foreach (var s in slots)
            {
                if ((uint)s >= (uint)perTrack.Length) throw new InvalidDataException("a column slot is out of range in the snapshot");
                perTrack[s]++;
            }
        }
        var users = new long[trackIds.Length][];
        var scores = new double[trackIds.Length][];
        var filled = new int[trackIds.Length];
        var positive = new int[trackIds.Length];
        var rowMap = new Dictionary<long, UserRow>(count);
        for (var u = 0; u < count; u++)
        {
            if (rows[u] is not { } row) continue;
            rowMap.Add(userIds[u], row);
            var values = row.Scaled.Values;
            var slots = rowSlots[u];
            for (var j = 0; j < slots.Length; j++)
            {
                var t = slots[j];
                users[t] ??= new long[perTrack[t]];
                scores[t] ??= new double[perTrack[t]];
                (users[t][filled[t]], scores[t][filled[t]]) = (userIds[u], values[j]);
                filled[t]++;
                if (values[j] > 0) positive[t]++;
            }
        }
        var columns = new Dictionary<long, TrackColumn>(trackIds.Length);
        for (var t = 0; t < trackIds.Length; t++)
        {
            if (users[t] is null) continue;
            columns.Add(trackIds[t], new TrackColumn(new SparseVector(sorted: false, users[t], scores[t])) { Positive = positive[t] });
        }

        _lock.EnterWriteLock();
        try
        {
            if (_rows.Count > 0 || _columns.Count > 0) throw new InvalidOperationException("a snapshot is read into an empty matrix only");
            (_rows, _columns) = (rowMap, columns);
            Interlocked.Increment(ref _version);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Empties the matrix (a snapshot that failed its checks after it was read gives way to a full load).</summary>
    public void Clear()
    {
        _lock.EnterWriteLock();
        try
        {
            (_rows, _columns) = ([], []);
            Interlocked.Increment(ref _version);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>How many (user, track) cells are held, scored or hidden: a full load makes one per preference row.</summary>
    public long CellCount()
    {
        _lock.EnterReadLock();
        try
        {
            var cells = 0L;
            foreach (var row in _rows.Values)
            {
                cells += row.Scaled.Count;
                foreach (var hidden in row.Hidden) if (!row.Scaled.TryGetValue(hidden, out _)) cells++;
            }
            return cells;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>What a year of decay scales by: a snapshot scaled under another half-life does not match it.</summary>
    private double DecayProbe => _learner.Scale(TimeSpan.FromDays(365));
}
