using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Snapshots;
using SpotMirror.Storage;

namespace SpotMirror.Runtime;

/// <summary>What a start from the snapshot did: the feed position the follower goes on from, and what was replayed.</summary>
/// Phases says where the time went (seconds, for the log).
public sealed record SnapshotStart(long Position, int Tracks, long Cells, int Replayed, bool CatalogueFromDatabase, string Phases);

/// <summary>
/// The start-up snapshot beside the SQLite file (`db.snapshot`): the catalogue's tracks and the preference matrix's
/// rows as flat arrays, and where the change feed and the database stood when it was written. A start reads it
/// and replays the feed after its position instead of reading ten million rows; it is trusted only when every
/// check holds (format, schema, no pruned change after it, the catalogue tables' counts, the checksum, and after
/// the replay the preference cells counted in the table), otherwise one line says why and the full load runs.
/// SQLite only: there the feed's ids have no holes, so "nothing after the snapshot was pruned" can be checked;
/// on PostgreSQL a sequence leaves holes and ids may commit out of order, and the full load always runs.
/// </summary>
public sealed partial class StartupSnapshot(
    IOptions<StorageOptions> options,
    IDatabase database,
    IChangeFeed feed,
    ICatalogStore catalog,
    Recommender recommender,
    ILogger<StartupSnapshot> logger)
{
    private const ulong Magic = 0x31_50_41_4E_53_4D_53_00; // "\0SMSNAP1"
    private const int Format = 4;
    private const int Page = 500;
    private readonly SqlSnapshotMarks _marks = new(database);
    private readonly TaskCompletionSource _startWritten = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Enabled { get; } = options.Value.Snapshot
        && string.Equals(string.IsNullOrWhiteSpace(options.Value.Provider) ? IDatabase.SqliteProvider : options.Value.Provider.Trim(), IDatabase.SqliteProvider, StringComparison.OrdinalIgnoreCase);

    public string Path { get; } = StorageOptions.Resolve(options.Value.Path) + ".snapshot";

    /// <summary>
    /// Completes when this start's own snapshot work is over: written after a full load (or failed to be), or not needed
    /// because the start read a current one. The writing leaves a few hundred megabytes of garbage at a million tracks;
    /// the first learned-model fit waits for it, so the compaction before the fit gives that back too and the fit's
    /// working set does not land on top of it.
    /// </summary>
    public Task StartWritten => _startWritten.Task;

    internal void EndStartWriting() => _startWritten.TrySetResult();

    /// <summary>The feed position a load starts from (on SQLite the id counter, which pruning leaves where it was).</summary>
    public Task<long> FeedPositionAsync(CancellationToken cancellationToken) => _marks.LastChangeAsync(cancellationToken);

    /// <summary>Fills the empty matrix and publishes the index from the snapshot, or returns null (one log line) and leaves both as they were.</summary>
    public async Task<SnapshotStart?> TryLoadAsync(CancellationToken cancellationToken)
    {
        if (!Enabled) return null;
        if (!File.Exists(Path))
        {
            LogIgnored(logger, "there is none yet");
            return null;
        }
        Task<CatalogIndex>? building = null;
        Task<SnapshotMark>? marking = null;
        try
        {
            await using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.SequentialScan);
            var reader = new SnapshotReader(file);
            var clock = Stopwatch.StartNew();
            if (reader.Read<ulong>() != Magic || reader.Read<int>() != Format) return Ignore("it was written by another version");
            var (schema, born, position, catalogue) = (reader.Read<long>(), reader.Read<long>(), reader.Read<long>(), reader.ReadArray<long>(limit: 64));
            // The database's counts are taken on another thread while the tracks are read (SQLite's calls block).
            marking = Task.Run(() => _marks.ReadAsync(position, cancellationToken), cancellationToken);
            var tracks = TrackListSnapshot.Read(reader);
            var content = CatalogContent.Read(reader, tracks.Length);
            var tracksRead = clock.Elapsed;
            var mark = await marking.ConfigureAwait(false);
            var marked = clock.Elapsed;
            if (mark.Born != born) return Ignore("it was written for another database at this path");
            if (mark.Schema != schema) return Ignore("the database's schema changed since");
            if (!mark.FeedWhole) return Ignore($"changes after its position {position} were pruned from the feed (or the database is another one)");

            // The index builds on the other core while the matrix is read; both are dropped if a check fails.
            building = Task.Run(() => CatalogIndex.Build(tracks, content), cancellationToken);
            recommender.Preferences.ReadSnapshot(reader);
            reader.Complete();
            var matrixRead = clock.Elapsed;

            var (replayed, catalogueChanged) = await ReplayAsync(position, mark.LastChange, cancellationToken).ConfigureAwait(false);
            if (!catalogueChanged && !catalogue.AsSpan().SequenceEqual(mark.Catalogue))
            {
                return Ignore("the catalogue tables were changed outside the change feed");
            }
            var cells = recommender.Preferences.CellCount();
            if (cells != mark.PreferenceCells) return Ignore($"it and the changes after it give {cells} preference cells, the database has {mark.PreferenceCells}");

            var replayedAt = clock.Elapsed;
            var index = await building.ConfigureAwait(false);
            if (catalogueChanged)
            {
                // Tracks were added or changed after the snapshot: the preferences stand, the catalogue is read afresh.
                index = CatalogIndex.Build(await catalog.LoadAsync(cancellationToken).ConfigureAwait(false));
            }
            recommender.Publish(index);
            var phases = FormattableString.Invariant(
                $"content vectors {(content is null ? "recomputed (another content format)" : "from the snapshot")}, tracks {tracksRead.TotalSeconds:F1} s, database counts {marked.TotalSeconds:F1} s from the start, matrix {(matrixRead - marked).TotalSeconds:F1} s, replay and checks {(replayedAt - matrixRead).TotalSeconds:F1} s, index {(clock.Elapsed - replayedAt).TotalSeconds:F1} s more");
            return new SnapshotStart(mark.LastChange, index.Count, cells, replayed, catalogueChanged, phases);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return Ignore($"it could not be read ({exception.Message})");
        }
        finally
        {
            // Work started for a snapshot that failed a check is waited for, not left running unobserved.
            foreach (var started in new Task?[] { marking, building })
            {
                if (started is not null) await started.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }

        SnapshotStart? Ignore(string reason)
        {
            recommender.Preferences.Clear();
            LogIgnored(logger, reason);
            return null;
        }
    }

    /// <summary>Applies the feed's changes after the snapshot, up to the position the checks were read at.</summary>
    private async Task<(int Replayed, bool CatalogueChanged)> ReplayAsync(long from, long to, CancellationToken cancellationToken)
    {
        var (replayed, catalogueChanged, position) = (0, false, from);
        while (position < to)
        {
            var changes = await feed.AfterAsync(position, Page, cancellationToken).ConfigureAwait(false);
            foreach (var change in changes.TakeWhile(c => c.Id <= to))
            {
                if (!change.ApplyTo(recommender.Preferences) && change.Kind == ChangeKind.Catalogue) catalogueChanged = true;
                (position, replayed) = (change.Id, replayed + 1);
            }
            // A short page is the end of the feed; a page that reaches past the checks' position is the end of the replay.
            if (changes.Count < Page || changes[^1].Id >= to) break;
        }
        return (replayed, catalogueChanged);
    }

    /// <summary>
    /// Writes the snapshot at the given feed position: every change after it must be one the replay may apply again
    /// (the state written is at or after it). Written to a temporary file, flushed to disk, then renamed over the old one.
    /// </summary>
    public async Task WriteAsync(long position, CancellationToken cancellationToken)
    {
        if (!Enabled) return;
        var clock = Stopwatch.StartNew();
        // The marks first: a catalogue edited behind the feed between them and the tracks makes a snapshot that fails its check, never one that passes wrongly.
        var mark = await _marks.ReadAsync(position, cancellationToken).ConfigureAwait(false);
        if (!mark.FeedWhole) return;
        var temporary = $"{Path}.{Environment.ProcessId}.tmp";
        try
        {
            var bytes = await Task.Run(() => Write(temporary, mark, position, cancellationToken), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Path, overwrite: true);
            LogWritten(logger, bytes / 1048576.0, clock.Elapsed.TotalSeconds, position);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private long Write(string temporary, SnapshotMark mark, long position, CancellationToken cancellationToken)
    {
        using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        var writer = new SnapshotWriter(file);
        writer.Write(Magic);
        writer.Write(Format);
        writer.Write(mark.Schema);
        writer.Write(mark.Born);
        writer.Write(position);
        writer.WriteArray<long>(mark.Catalogue);
        var index = recommender.Catalog;
        var tracks = new Track[index.Count];
        for (var i = 0; i < tracks.Length; i++) tracks[i] = index[i];
        TrackListSnapshot.Write(writer, tracks, cancellationToken);
        CatalogContent.Write(writer, index);
        recommender.Preferences.WriteSnapshot(writer, cancellationToken);
        writer.Complete();
        file.Flush(flushToDisk: true);
        return file.Length;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up snapshot not used, loading from the database: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up snapshot written: {Megabytes:F0} MiB in {Seconds:F1} s at change {Position}")]
    private static partial void LogWritten(ILogger logger, double megabytes, double seconds, long position);
}
