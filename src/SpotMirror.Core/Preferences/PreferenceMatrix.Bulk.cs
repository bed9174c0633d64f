using System.Runtime.InteropServices;

namespace SpotMirror.Core.Preferences;

public sealed partial class PreferenceMatrix
{
    /// <summary>Starts start-up's bulk load: <see cref="BulkLoad.Add"/> each streamed chunk, then <see cref="BulkLoad.Finish"/>.</summary>
    public BulkLoad StartLoad() => new(this);

    /// <summary>
    /// Every preference at start-up: entries are staged in flat arrays as they stream in, then each row and
    /// column is built once at its exact size. Growing a million small arrays entry by entry kept the garbage
    /// collector busy for most of a ten-million-row load. The fast build needs an empty matrix and each
    /// (user, track) cell at most once, as a table scan gives them; otherwise the entries are applied in
    /// order, exactly as <see cref="Set"/> would.
    /// </summary>
    public sealed class BulkLoad
    {
        private const byte Scored = 1;
        private const byte Hides = 2;
        private readonly PreferenceMatrix _matrix;
        private readonly Dictionary<long, int> _userSlots = [];
        private readonly Dictionary<long, int> _trackSlots = [];
        // Track ids are a catalogue's row ids, small and dense: their slots (plus one) in an array indexed by id
        // rather than ten million dictionary lookups. Ids past DenseIds go to the dictionary.
        private const int DenseIds = 1 << 24;
        private int[] _trackSlotById = [];
        private (long Ticks, double Factor) _lastScale = (long.MinValue, 0);
        private readonly List<long> _userIds = [];
        private readonly List<long> _trackIds = [];
        private int[] _users = [];
        private int[] _tracks = [];
        private double[] _scaled = [];
        private byte[] _flags = [];
        private (long Id, int Slot) _lastUser = (0, -1);

        internal BulkLoad(PreferenceMatrix matrix) => _matrix = matrix;

        public int Count { get; private set; }

        /// <summary>Stages a chunk (the chunk may be reused by the caller afterwards).</summary>
        public void Add(IReadOnlyList<PreferenceEntry> chunk)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            Reserve(Count + chunk.Count);
            var entries = chunk is List<PreferenceEntry> list ? CollectionsMarshal.AsSpan(list) : [.. chunk];
            foreach (ref readonly var entry in entries)
            {
                var i = Count++;
                if (_lastUser.Slot < 0 || _lastUser.Id != entry.UserId) _lastUser = (entry.UserId, Slot(_userSlots, _userIds, entry.UserId));
                _users[i] = _lastUser.Slot;
                _tracks[i] = TrackSlot(entry.TrackId);
                var scored = Math.Abs(entry.Score) >= 1e-9;
                _scaled[i] = scored ? entry.Score * Scale(entry.UpdatedAt) : 0;
                _flags[i] = (byte)((scored ? Scored : 0) | (entry.Hidden ? Hides : 0));
            }
        }

        /// <summary>The matrix's decay factor for a time; rows written together share their time, so the last one is kept.</summary>
        private double Scale(DateTimeOffset at)
        {
            if (_lastScale.Ticks != at.UtcTicks) _lastScale = (at.UtcTicks, _matrix.ScaleOf(at));
            return _lastScale.Factor;
        }

        private int TrackSlot(long id)
        {
            if ((ulong)id >= DenseIds) return Slot(_trackSlots, _trackIds, id);
            if (id >= _trackSlotById.Length) Array.Resize(ref _trackSlotById, (int)Math.Min(DenseIds, Math.Max(1024, 2 * (id + 1))));
            ref var slot = ref _trackSlotById[id];
            if (slot == 0)
            {
                _trackIds.Add(id);
                slot = _trackIds.Count;
            }
            return slot - 1;
        }

        /// <summary>Builds the rows and columns and publishes them (one version step).</summary>
        public void Finish() => _matrix.Finish(this);

        private static int Slot(Dictionary<long, int> slots, List<long> ids, long id)
        {
            if (slots.TryGetValue(id, out var slot)) return slot;
            slot = ids.Count;
            slots[id] = slot;
            ids.Add(id);
            return slot;
        }

        private void Reserve(int size)
        {
            if (size <= _users.Length) return;
            var capacity = Math.Max(size, Math.Max(1024, _users.Length * 2));
            Array.Resize(ref _users, capacity);
            Array.Resize(ref _tracks, capacity);
            Array.Resize(ref _scaled, capacity);
            Array.Resize(ref _flags, capacity);
        }

        internal void ApplyInOrder(PreferenceMatrix matrix)
        {
            var last = (User: 0L, Row: (UserRow?)null);
            for (var i = 0; i < Count; i++)
            {
                matrix.SetScaledLocked(_userIds[_users[i]], _trackIds[_tracks[i]], _scaled[i], (_flags[i] & Scored) != 0, (_flags[i] & Hides) != 0, ref last);
            }
        }

        /// <summary>Rows and columns built at size, or false when a cell repeats (then the caller applies in order).</summary>
        /// <remarks>The rows and the columns need nothing of each other but the read-only staging, so they are built side by side.</remarks>
        internal bool TryBuild(out Dictionary<long, UserRow> rows, out Dictionary<long, TrackColumn> columns)
        {
            var perTrack = new int[_trackIds.Count];
            for (var i = 0; i < Count; i++)
            {
                if ((_flags[i] & Scored) != 0) perTrack[_tracks[i]]++;
            }
            Dictionary<long, UserRow>? built = null;
            Dictionary<long, TrackColumn> byTrack = null!;
            Parallel.Invoke(() => built = BuildRows(), () => byTrack = BuildColumns(perTrack));
            (rows, columns) = (built!, byTrack);
            return built is not null;
        }

        /// <summary>Each user's row with its tracks in id order, or null when a cell repeats.</summary>
        private Dictionary<long, UserRow>? BuildRows()
        {
            var rows = new Dictionary<long, UserRow>(_userIds.Count);
            var starts = new int[_userIds.Count + 1];
            var grouped = true;
            for (var i = 0; i < Count; i++)
            {
                starts[_users[i] + 1]++;
                if (i > 0 && _users[i] < _users[i - 1]) grouped = false;
            }
            var longest = 0;
            for (var u = 0; u < _userIds.Count; u++)
            {
                longest = Math.Max(longest, starts[u + 1]);
                starts[u + 1] += starts[u];
            }
            // A table scan gives each user's entries together, in slot order: the staging is then its own order.
            int[]? order = null;
            if (!grouped)
            {
                order = new int[Count];
                var next = (int[])starts.Clone();
                for (var i = 0; i < Count; i++) order[next[_users[i]]++] = i;
            }

            var keys = new long[longest];
            var entries = new int[longest];
            for (var u = 0; u < _userIds.Count; u++)
            {
                var length = starts[u + 1] - starts[u];
                var scored = 0;
                var ascending = true;
                for (var j = 0; j < length; j++)
                {
                    var i = order is null ? starts[u] + j : order[starts[u] + j];
                    (keys[j], entries[j]) = (_trackIds[_tracks[i]], i);
                    if (j > 0 && keys[j] <= keys[j - 1]) ascending = false;
                    if ((_flags[i] & Scored) != 0) scored++;
                }
                if (!ascending) Array.Sort(keys, entries, 0, length);
                var tracks = new long[scored];
                var values = new double[scored];
                var row = new UserRow(new SparseVector(sorted: true, tracks, values));
                for (int j = 0, k = 0; j < length; j++)
                {
                    if (j > 0 && keys[j] == keys[j - 1]) return null;
                    var i = entries[j];
                    if ((_flags[i] & Hides) != 0) row.SetHidden(keys[j], true);
                    if ((_flags[i] & Scored) == 0) continue;
                    (tracks[k], values[k]) = (keys[j], _scaled[i]);
                    row.NormSquared += _scaled[i] * _scaled[i];
                    k++;
                }
                if (scored > 0 || row.HasHidden) rows[_userIds[u]] = row;
            }
            return rows;
        }

        /// <summary>Each scored track's column, its users in arrival order.</summary>
        private Dictionary<long, TrackColumn> BuildColumns(int[] perTrack)
        {
            var columns = new Dictionary<long, TrackColumn>(_trackIds.Count);
            var users = new long[_trackIds.Count][];
            var scores = new double[_trackIds.Count][];
            var filled = new int[_trackIds.Count];
            var positive = new int[_trackIds.Count];
            for (var i = 0; i < Count; i++)
            {
                if ((_flags[i] & Scored) == 0) continue;
                var t = _tracks[i];
                users[t] ??= new long[perTrack[t]];
                scores[t] ??= new double[perTrack[t]];
                (users[t][filled[t]], scores[t][filled[t]]) = (_userIds[_users[i]], _scaled[i]);
                filled[t]++;
                if (_scaled[i] > 0) positive[t]++;
            }
            for (var t = 0; t < _trackIds.Count; t++)
            {
                if (users[t] is null) continue;
                columns[_trackIds[t]] = new TrackColumn(new SparseVector(sorted: false, users[t], scores[t])) { Positive = positive[t] };
            }
            return columns;
        }
    }

    private void Finish(BulkLoad load)
    {
        _lock.EnterWriteLock();
        try
        {
            if (_rows.Count == 0 && _columns.Count == 0 && load.TryBuild(out var rows, out var columns))
            {
                (_rows, _columns) = (rows, columns);
            }
            else
            {
                load.ApplyInOrder(this);
                foreach (var row in _rows.Values) row.Scaled.Trim();
                foreach (var column in _columns.Values) column.Users.Trim();
            }
            Interlocked.Increment(ref _version);
        }
        finally { _lock.ExitWriteLock(); }
    }
}
