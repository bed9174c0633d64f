namespace SpotMirror.Core.Preferences;

/// <summary>
/// The sparse user x track preference matrix, mirrored in memory from Storage after each commit.
/// Scores are kept scaled to a fixed epoch (score x 2^((updated - epoch) / half-life)), so every
/// entry decays at the same rate and decay cancels out of cosines and rankings: queries never need
/// the clock. Readers take a shared lock; the single writer an exclusive one.
/// </summary>
public sealed partial class PreferenceMatrix : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private Dictionary<long, UserRow> _rows = [];
    private Dictionary<long, TrackColumn> _columns = [];
    private readonly PreferenceLearner _learner;
    private readonly DateTimeOffset _epoch;
    private long _version;
    private long _changes = 1;

    public PreferenceMatrix(PreferenceLearner learner, DateTimeOffset epoch)
    {
        _learner = learner;
        _epoch = epoch;
    }

    /// <summary>One user's row: epoch-scaled scores by track id (sorted arrays), the hidden tracks, and the squared norm kept as it changes.</summary>
    internal sealed class UserRow(SparseVector scaled)
    {
        private HashSet<long>? _hidden;

        public UserRow()
            : this(new SparseVector(sorted: true))
        {
        }

        public SparseVector Scaled { get; } = scaled;
        public IReadOnlySet<long> Hidden => _hidden ?? (IReadOnlySet<long>)EmptySet;
        public bool HasHidden => _hidden is { Count: > 0 };
        public double NormSquared { get; set; }

        /// <summary>Changes whenever the row does (a number no other row state of this user has had): keys per-user caches.</summary>
        public long Version { get; set; } = 1;

        public double Norm => Math.Sqrt(Math.Max(0, NormSquared));

        public void SetHidden(long trackId, bool hidden)
        {
            if (hidden) (_hidden ??= []).Add(trackId);
            else _hidden?.Remove(trackId);
        }

        private static readonly HashSet<long> EmptySet = [];
    }

    /// <summary>One track's column: the users who scored it (in arrival order) and how many of them liked it.</summary>
    internal sealed class TrackColumn(SparseVector users)
    {
        public TrackColumn()
            : this(new SparseVector(sorted: false))
        {
        }

        public SparseVector Users { get; } = users;
        public int Positive { get; set; }
        public ReadOnlySpan<long> Keys => Users.Keys;
        public ReadOnlySpan<double> Values => Users.Values;
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>Goes up with every change, so derived caches (popularity) know when to rebuild.</summary>
    public long Version => Interlocked.Read(ref _version);

    public int UserCount
    {
        get
        {
            _lock.EnterReadLock();
            try { return _rows.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Adds the entries in bulk (start-up), then gives back the slack the growing arrays left.</summary>
    public void Load(IEnumerable<PreferenceEntry> entries)
    {
        var load = StartLoad();
        load.Add(entries as IReadOnlyList<PreferenceEntry> ?? [.. entries]);
        load.Finish();
    }

    /// <summary>Replaces the entries (as Storage committed them); an empty entry removes the cell.</summary>
    public void Set(IEnumerable<PreferenceEntry> entries) => Apply(entries);

    public void RemoveUser(long userId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_rows.Remove(userId, out var row)) return;
            var tracks = row.Scaled.Keys;
            var values = row.Scaled.Values;
            for (var j = 0; j < tracks.Length; j++) RemoveFromColumn(userId, tracks[j], values[j]);
            Interlocked.Increment(ref _version);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>A copy of one user's row: track id to epoch-scaled score, and the hidden tracks.</summary>
    public UserTaste TasteOf(long userId)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_rows.TryGetValue(userId, out var row)) return UserTaste.Empty(userId);
            var tracks = row.Scaled.Keys;
            var values = row.Scaled.Values;
            var scores = new Dictionary<long, double>(tracks.Length);
            for (var j = 0; j < tracks.Length; j++) scores[tracks[j]] = values[j];
            return new UserTaste(userId, scores, new HashSet<long>(row.Hidden)) { Version = row.Version };
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>One cell as <see cref="TasteOf"/> holds it (epoch-scaled score, null when none) and whether the track is hidden, without copying the row.</summary>
    public (double? Scaled, bool Hidden) CellOf(long userId, long trackId)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_rows.TryGetValue(userId, out var row)) return (null, false);
            return (row.Scaled.TryGetValue(trackId, out var scaled) ? scaled : null, row.Hidden.Contains(trackId));
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>How many users hold a positive score for the track (local positive reactions, for popularity).</summary>
    public IReadOnlyDictionary<long, int> PositiveCounts()
    {
        _lock.EnterReadLock();
        try { return PositiveLocked().ToDictionary(p => p.TrackId, p => p.Likers); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Each user's liked (positive) track ids, by user id: the input of the learned model.</summary>
    public IReadOnlyList<(long User, long[] Items)> LikesByUserId()
    {
        _lock.EnterReadLock();
        try
        {
            var result = new List<(long, long[])>(_rows.Count);
            foreach (var (user, row) in _rows)
            {
                var tracks = row.Scaled.Keys;
                var values = row.Scaled.Values;
                var liked = 0;
                foreach (var v in values) if (v > 0) liked++;
                var items = new long[liked];
                for (int j = 0, k = 0; j < tracks.Length; j++) if (values[j] > 0) items[k++] = tracks[j];
                result.Add((user, items));
            }
            return result;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>How many users hold a positive score for one track.</summary>
    public int PositiveCount(long trackId)
    {
        _lock.EnterReadLock();
        try { return _columns.TryGetValue(trackId, out var column) ? column.Positive : 0; }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Runs a read over the positive counts under the shared lock, without copying them.</summary>
    internal T ReadPositiveCounts<T>(Func<IEnumerable<(long TrackId, int Likers)>, T> read)
    {
        _lock.EnterReadLock();
        try { return read(PositiveLocked()); }
        finally { _lock.ExitReadLock(); }
    }

    private IEnumerable<(long TrackId, int Likers)> PositiveLocked() =>
        _columns.Where(c => c.Value.Positive > 0).Select(c => (c.Key, c.Value.Positive));

    /// <summary>The score as it stands now, from an epoch-scaled one (for display).</summary>
    public double Effective(double scaled, DateTimeOffset now) => scaled * _learner.Scale(_epoch - now);

    /// <summary>Runs a read over the raw rows and the columns (user id to scaled score, per track) under the shared lock (for the CF engine).</summary>
    internal T Read<T>(Func<IReadOnlyDictionary<long, UserRow>, IReadOnlyDictionary<long, TrackColumn>, T> read)
    {
        _lock.EnterReadLock();
        try { return read(_rows, _columns); }
        finally { _lock.ExitReadLock(); }
    }

    private void Apply(IEnumerable<PreferenceEntry> entries)
    {
        _lock.EnterWriteLock();
        try
        {
            var last = (User: 0L, Row: (UserRow?)null);
            foreach (var entry in entries) SetLocked(entry, ref last);
            Interlocked.Increment(ref _version);
        }
        finally { _lock.ExitWriteLock(); }
    }

    private void SetLocked(PreferenceEntry entry, ref (long User, UserRow? Row) last)
    {
        var scored = Math.Abs(entry.Score) >= 1e-9;
        SetScaledLocked(entry.UserId, entry.TrackId, scored ? ScaledOf(entry) : 0, scored, entry.Hidden, ref last);
    }

    private void SetScaledLocked(long userId, long trackId, double scaled, bool scored, bool hidden, ref (long User, UserRow? Row) last)
    {
        // Rows arrive grouped by user (a table scan, a feedback event): the last row is usually the one.
        var row = last.User == userId ? last.Row : null;
        if (row is null && !_rows.TryGetValue(userId, out row))
        {
            row = new UserRow();
            _rows[userId] = row;
        }
        last = (userId, row);
        row.Version = ++_changes;
        row.SetHidden(trackId, hidden);

        if (scored)
        {
            var old = row.Scaled.Set(trackId, scaled);
            if (!_columns.TryGetValue(trackId, out var column))
            {
                column = new TrackColumn();
                _columns[trackId] = column;
            }
            if (old is { } previous)
            {
                row.NormSquared -= previous * previous;
                column.Users.Set(userId, scaled);
                if (previous > 0) column.Positive--;
            }
            else
            {
                column.Users.AppendNew(userId, scaled);
            }
            row.NormSquared += scaled * scaled;
            if (scaled > 0) column.Positive++;
        }
        else if (row.Scaled.Remove(trackId, out var removed))
        {
            row.NormSquared -= removed * removed;
            RemoveFromColumn(userId, trackId, removed);
        }
        if (row.Scaled.Count == 0) row.NormSquared = 0;
        if (row.Scaled.Count == 0 && !row.HasHidden)
        {
            _rows.Remove(userId);
            last = (0, null);
        }
    }

    private double ScaledOf(PreferenceEntry entry) => entry.Score * ScaleOf(entry.UpdatedAt);

    private double ScaleOf(DateTimeOffset at) => _learner.Scale(at - _epoch);

    private void RemoveFromColumn(long userId, long trackId, double value)
    {
        if (!_columns.TryGetValue(trackId, out var column)) return;
        column.Users.Remove(userId, out _);
        if (value > 0) column.Positive--;
        if (column.Users.Count == 0) _columns.Remove(trackId);
    }
}

/// <summary>One user's preferences at a moment: epoch-scaled scores by track id, and hidden tracks.</summary>
public sealed record UserTaste(long UserId, IReadOnlyDictionary<long, double> Scores, IReadOnlySet<long> Hidden)
{
    /// <summary>The row's version when the matrix handed it out (a new number after every change to it): null when not from a matrix.</summary>
    public long? Version { get; init; }

    public static UserTaste Empty(long userId) => new(userId, new Dictionary<long, double>(), new HashSet<long>());

    public bool IsEmpty => Scores.Count == 0;
}
