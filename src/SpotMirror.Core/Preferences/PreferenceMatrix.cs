namespace SpotMirror.Core.Preferences;

/// <summary>
/// The sparse user x track preference matrix, mirrored in memory from Storage after each commit.
/// Scores are kept scaled to a fixed epoch (score x 2^((updated - epoch) / half-life)), so every
/// entry decays at the same rate and decay cancels out of cosines and rankings: queries never need
/// the clock. Readers take a shared lock; the single writer an exclusive one.
/// </summary>
public sealed class PreferenceMatrix : IDisposable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<long, UserRow> _rows = [];
    private readonly Dictionary<long, Dictionary<long, double>> _columns = [];
    private readonly Dictionary<long, int> _positiveCounts = [];
    private readonly PreferenceLearner _learner;
    private readonly DateTimeOffset _epoch;
    private long _version;

    public PreferenceMatrix(PreferenceLearner learner, DateTimeOffset epoch)
    {
        _learner = learner;
        _epoch = epoch;
    }

    internal sealed class UserRow
    {
        public Dictionary<long, double> Scaled { get; } = [];
        public HashSet<long> Hidden { get; } = [];
        public double NormSquared { get; set; }
        public double Norm => Math.Sqrt(Math.Max(0, NormSquared));
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

    public void Load(IEnumerable<PreferenceEntry> entries)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach (var entry in entries) SetLocked(entry);
            Interlocked.Increment(ref _version);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Replaces the entries (as Storage committed them); an empty entry removes the cell.</summary>
    public void Set(IEnumerable<PreferenceEntry> entries) => Load(entries);

    public void RemoveUser(long userId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_rows.Remove(userId, out var row)) return;
            foreach (var (trackId, value) in row.Scaled)
            {
                RemoveFromColumn(userId, trackId, value);
            }
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
            return new UserTaste(userId, new Dictionary<long, double>(row.Scaled), new HashSet<long>(row.Hidden));
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>How many users hold a positive score for the track (local positive reactions, for popularity).</summary>
    public IReadOnlyDictionary<long, int> PositiveCounts()
    {
        _lock.EnterReadLock();
        try { return new Dictionary<long, int>(_positiveCounts); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Each user's liked (positive) track ids, by user id: the input of the learned model.</summary>
    public IReadOnlyList<(long User, long[] Items)> LikesByUserId()
    {
        _lock.EnterReadLock();
        try { return _rows.Select(r => (r.Key, r.Value.Scaled.Where(kv => kv.Value > 0).Select(kv => kv.Key).ToArray())).ToList(); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>How many users hold a positive score for one track.</summary>
    public int PositiveCount(long trackId)
    {
        _lock.EnterReadLock();
        try { return _positiveCounts.GetValueOrDefault(trackId); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Runs a read over the positive counts under the shared lock, without copying them.</summary>
    internal T ReadPositiveCounts<T>(Func<IReadOnlyDictionary<long, int>, T> read)
    {
        _lock.EnterReadLock();
        try { return read(_positiveCounts); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The score as it stands now, from an epoch-scaled one (for display).</summary>
    public double Effective(double scaled, DateTimeOffset now) => scaled * _learner.Scale(_epoch - now);

    /// <summary>Runs a read over the raw rows and columns under the shared lock (for the CF engine).</summary>
    internal T Read<T>(Func<IReadOnlyDictionary<long, UserRow>, IReadOnlyDictionary<long, Dictionary<long, double>>, T> read)
    {
        _lock.EnterReadLock();
        try { return read(_rows, _columns); }
        finally { _lock.ExitReadLock(); }
    }

    private void SetLocked(PreferenceEntry entry)
    {
        if (!_rows.TryGetValue(entry.UserId, out var row))
        {
            row = new UserRow();
            _rows[entry.UserId] = row;
        }
        if (row.Scaled.Remove(entry.TrackId, out var old))
        {
            RemoveFromColumn(entry.UserId, entry.TrackId, old);
            row.NormSquared -= old * old;
        }
        row.Hidden.Remove(entry.TrackId);
        if (entry.Hidden) row.Hidden.Add(entry.TrackId);

        if (Math.Abs(entry.Score) >= 1e-9)
        {
            var scaled = entry.Score * _learner.Scale(entry.UpdatedAt - _epoch);
            row.Scaled[entry.TrackId] = scaled;
            row.NormSquared += scaled * scaled;
            if (!_columns.TryGetValue(entry.TrackId, out var column))
            {
                column = [];
                _columns[entry.TrackId] = column;
            }
            column[entry.UserId] = scaled;
            if (scaled > 0) _positiveCounts[entry.TrackId] = _positiveCounts.GetValueOrDefault(entry.TrackId) + 1;
        }
        if (row.Scaled.Count == 0) row.NormSquared = 0;
        if (row.Scaled.Count == 0 && row.Hidden.Count == 0) _rows.Remove(entry.UserId);
    }

    private void RemoveFromColumn(long userId, long trackId, double value)
    {
        if (_columns.TryGetValue(trackId, out var column))
        {
            column.Remove(userId);
            if (column.Count == 0) _columns.Remove(trackId);
        }
        if (value > 0 && _positiveCounts.TryGetValue(trackId, out var count))
        {
            if (count <= 1) _positiveCounts.Remove(trackId);
            else _positiveCounts[trackId] = count - 1;
        }
    }
}

/// <summary>One user's preferences at a moment: epoch-scaled scores by track id, and hidden tracks.</summary>
public sealed record UserTaste(long UserId, IReadOnlyDictionary<long, double> Scores, IReadOnlySet<long> Hidden)
{
    public static UserTaste Empty(long userId) => new(userId, new Dictionary<long, double>(), new HashSet<long>());

    public bool IsEmpty => Scores.Count == 0;
}
