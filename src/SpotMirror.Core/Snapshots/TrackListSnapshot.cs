using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Snapshots;

/// <summary>
/// The catalogue's tracks as columns: one table of distinct strings (an artist's name or a tag is stored once
/// and read back as one shared string, as the database loader pools them) and per-track numbers that point
/// into it. Reading it makes no row object but the tracks themselves.
/// </summary>
public static class TrackListSnapshot
{
    public static void Write(SnapshotWriter writer, IReadOnlyList<Track> tracks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(tracks);
        var n = tracks.Count;
        // Only artists and tags repeat: they go through the table; titles and links are columns of their own,
        // so writing holds no dictionary of a million titles.
        var pooled = new List<string?>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = new long[n];
        var artist = new int[n];
        var year = new int[n];
        var listeners = new long[n];
        var playcount = new long[n];
        var popularity = new int[n];
        var tagStart = new int[n + 1];
        for (var i = 0; i < n; i++) tagStart[i + 1] = tagStart[i] + tracks[i].Tags.Count;
        var tagText = new int[tagStart[n]];
        var tagWeight = new float[tagStart[n]];
        for (var i = 0; i < n; i++)
        {
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var track = tracks[i];
            id[i] = track.Id;
            artist[i] = Pool(track.Artist);
            year[i] = track.Year ?? int.MinValue;
            listeners[i] = track.Listeners ?? long.MinValue;
            playcount[i] = track.Playcount ?? long.MinValue;
            popularity[i] = track.Popularity ?? int.MinValue;
            var at = tagStart[i];
            foreach (var tag in track.Tags)
            {
                (tagText[at], tagWeight[at]) = (Pool(tag.Tag), tag.Weight);
                at++;
            }
        }
        writer.WriteStrings(pooled);
        writer.WriteArray<long>(id);
        writer.WriteStrings(new Column(tracks, t => t.Title));
        writer.WriteArray<int>(artist);
        writer.WriteStrings(new Column(tracks, t => t.PageUrl));
        writer.WriteStrings(new Column(tracks, t => t.SpotifyId));
        writer.WriteArray<int>(year);
        writer.WriteArray<long>(listeners);
        writer.WriteArray<long>(playcount);
        writer.WriteArray<int>(popularity);
        writer.WriteArray<int>(tagStart);
        writer.WriteArray<int>(tagText);
        writer.WriteArray<float>(tagWeight);

        int Pool(string value)
        {
            if (ids.TryGetValue(value, out var at)) return at;
            at = pooled.Count;
            pooled.Add(value);
            ids[value] = at;
            return at;
        }
    }

    public static Track[] Read(SnapshotReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var pooled = reader.ReadStrings();
        var id = reader.ReadArray<long>();
        var n = id.Length;
        var title = Exactly(reader.ReadStrings(), n);
        var artist = Exactly(reader.ReadArray<int>(), n);
        var pageUrl = Exactly(reader.ReadStrings(), n);
        var spotifyId = Exactly(reader.ReadStrings(), n);
        var year = Exactly(reader.ReadArray<int>(), n);
        var listeners = Exactly(reader.ReadArray<long>(), n);
        var playcount = Exactly(reader.ReadArray<long>(), n);
        var popularity = Exactly(reader.ReadArray<int>(), n);
        var tagStart = Exactly(reader.ReadArray<int>(), n + 1);
        var tagText = reader.ReadArray<int>();
        var tagWeight = Exactly(reader.ReadArray<float>(), tagText.Length);
        var tracks = new Track[n];
        for (var i = 0; i < n; i++)
        {
            var (from, to) = (tagStart[i], tagStart[i + 1]);
            if (from < 0 || to < from || to > tagText.Length) throw new InvalidDataException("a track's tags are out of range in the snapshot");
            var tags = new TagWeight[to - from];
            for (var t = from; t < to; t++) tags[t - from] = new TagWeight(Pooled(tagText[t]), tagWeight[t]);
            tracks[i] = new Track(
                id[i], title[i] ?? throw new InvalidDataException("a track without a title in the snapshot"), Pooled(artist[i]), Optional(year[i], int.MinValue), tags,
                Optional(listeners[i], long.MinValue), Optional(playcount[i], long.MinValue), pageUrl[i],
                Optional(popularity[i], int.MinValue), spotifyId[i]);
        }
        return tracks;

        string Pooled(int at) => (uint)at < (uint)pooled.Length && pooled[at] is { } value ? value : throw new InvalidDataException("a string is out of range in the snapshot");
    }

    /// <summary>One string field of every track, as a list the writer reads through without copying.</summary>
    private sealed class Column(IReadOnlyList<Track> tracks, Func<Track, string?> field) : IReadOnlyList<string?>
    {
        public string? this[int index] => field(tracks[index]);
        public int Count => tracks.Count;
        public IEnumerator<string?> GetEnumerator() => tracks.Select(field).GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static T? Optional<T>(T value, T none) where T : struct, IEquatable<T> => value.Equals(none) ? null : value;

    private static T[] Exactly<T>(T[] values, int length) =>
        values.Length == length ? values : throw new InvalidDataException($"a column of {values.Length} items where {length} were due in the snapshot");
}
