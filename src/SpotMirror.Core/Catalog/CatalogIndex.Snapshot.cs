using System.Collections.Frozen;
using SpotMirror.Core.Snapshots;

namespace SpotMirror.Core.Catalog;

/// <summary>
/// The content vectors a start-up snapshot keeps beside the tracks: computing them is the largest part of an
/// index build. They follow from the tracks and from the code that computed them (normalisation, weights), so they
/// are stamped with <see cref="ContentFormat.Stamp"/>: a build whose vectors would come out alike reads them (a deploy
/// that changed other code keeps the fast start), one whose vectors would differ computes them afresh.
/// </summary>
public sealed class CatalogContent
{
    internal CatalogContent(SparseRows features, SparseRows postings, FrozenDictionary<string, int> ids) =>
        (Features, Postings, Ids) = (features, postings, ids);

    internal SparseRows Features { get; }
    internal SparseRows Postings { get; }
    internal FrozenDictionary<string, int> Ids { get; }

    /// <summary>The index's content vectors, stamped with the format that computed them.</summary>
    public static void Write(SnapshotWriter writer, CatalogIndex index)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(index);
        var (version, probe) = ContentFormat.Stamp;
        writer.Write(version);
        writer.Write(probe);
        var names = new string?[index.FeatureIds.Count];
        foreach (var (name, id) in index.FeatureIds) names[id] = name;
        writer.WriteStrings(names);
        foreach (var rows in new[] { index.Features, index.Postings })
        {
            writer.WriteArray<int>(rows.Offsets);
            writer.WriteArray<int>(rows.Columns);
            writer.WriteArray<float>(rows.Values);
        }
    }

    /// <summary>The vectors for an index over the given number of tracks, or null when another content format wrote them (they are read past all the same).</summary>
    public static CatalogContent? Read(SnapshotReader reader, int tracks)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var stamp = (reader.Read<int>(), reader.Read<ulong>());
        var names = reader.ReadStrings();
        var features = Rows(reader);
        var postings = Rows(reader);
        if (stamp != ContentFormat.Stamp) return null;
        if (features.RowCount != tracks || postings.RowCount != names.Length) throw new InvalidDataException("the content vectors do not fit the tracks in the snapshot");
        var ids = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (var id = 0; id < names.Length; id++) ids.Add(names[id] ?? throw new InvalidDataException("a feature without a name in the snapshot"), id);
        return new CatalogContent(features, postings, ids.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static SparseRows Rows(SnapshotReader reader)
    {
        var offsets = reader.ReadArray<int>();
        var columns = reader.ReadArray<int>();
        var values = reader.ReadArray<float>();
        if (offsets.Length == 0 || offsets[0] != 0 || offsets[^1] != columns.Length || values.Length != columns.Length) throw new InvalidDataException("content vectors out of shape in the snapshot");
        for (var r = 1; r < offsets.Length; r++) if (offsets[r] < offsets[r - 1]) throw new InvalidDataException("content vectors out of order in the snapshot");
        return new SparseRows(offsets, columns, values);
    }
}
