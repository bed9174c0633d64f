using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Snapshots;

/// <summary>
/// The catalogue's tracks as columns: one table of distinct strings (an artist's name or a tag is stored once
/// and read back as one shared string, as the database loader pools them) and per-track numbers that point
/// into it. Reading it makes no row object but the tracks themselves.
/// </summary>
public static class TrackListSnapshot
{
    private const int None = -1;

    public static void Write(SnapshotWriter writer, IReadOnlyList<Track> tracks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(tracks);
        var n = tracks.Count;
        var strings = new List<string?>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var id = new long[n];
        var text = new int[n * 4];
        var year = new int[n];
        var listeners = new long[n];
        var playcount = new long[n];
        var popularity = new int[n];
        var tagStart = new int[n + 1];
        var tagText = new List<int>();
        var tagWeight = new List<float>();
        for (var i = 0; i < n; i++)
        {
            if ((i & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            var track = tracks[i];
            id[i] = track.Id;
            text[i * 4] = Intern(track.Title);
            text[(i * 4) + 1] = Intern(track.Artist);
            text[(i * 4) + 2] = Intern(track.PageUrl);
            text[(i * 4) + 3] = Intern(track.SpotifyId);
            year[i] = track.Year ?? int.MinValue;
            listeners[i] = track.Listeners ?? long.MinValue;
            playcount[i] = track.Playcount ?? long.MinValue;
            popularity[i] = track.Popularity ?? int.MinValue;
            foreach (var tag in track.Tags)
            {
                tagText.Add(Intern(tag.Tag));
                tagWeight.Add(tag.Weight);
            }
            tagStart[i + 1] = tagText.Count;
        }
        writer.WriteStrings(strings);
        writer.WriteArray<long>(id);
        writer.WriteArray<int>(text);
        writer.WriteArray<int>(year);
        writer.WriteArray<long>(listeners);
        writer.WriteArray<long>(playcount);
        writer.WriteArray<int>(popularity);
        writer.WriteArray<int>(tagStart);
        writer.WriteArray<int>(tagText.ToArray());
        writer.WriteArray<float>(tagWeight.ToArray());

        int Intern(string? value)
        {
            if (value is null) return None;
            if (ids.TryGetValue(value, out var at)) return at;
            at = strings.Count;
            strings.Add(value);
            ids[value] = at;
            return at;
        }
    }

    public static Track[] Read(SnapshotReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var strings = reader.ReadStrings();
        var id = reader.ReadArray<long>();
        var n = id.Length;
        var text = Exactly(reader.ReadArray<int>(), n * 4);
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
            for (var t = from; t < to; t++) tags[t - from] = new TagWeight(Required(tagText[t]), tagWeight[t]);
            tracks[i] = new Track(
                id[i], Required(text[i * 4]), Required(text[(i * 4) + 1]), Optional(year[i], int.MinValue), tags,
                Optional(listeners[i], long.MinValue), Optional(playcount[i], long.MinValue), Text(text[(i * 4) + 2]),
                Optional(popularity[i], int.MinValue), Text(text[(i * 4) + 3]));
        }
        return tracks;

        string? Text(int at) => at == None ? null : (uint)at < (uint)strings.Length ? strings[at] : throw new InvalidDataException("a string is out of range in the snapshot");
        string Required(int at) => Text(at) ?? throw new InvalidDataException("a required string is missing in the snapshot");
    }

    private static T? Optional<T>(T value, T none) where T : struct, IEquatable<T> => value.Equals(none) ? null : value;

    private static T[] Exactly<T>(T[] values, int length) =>
        values.Length == length ? values : throw new InvalidDataException($"a column of {values.Length} items where {length} were due in the snapshot");
}
