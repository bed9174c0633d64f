using System.Globalization;
using System.Text;

namespace SpotMirror.Evaluation;

/// <summary>
/// The HetRec 2011 Last.fm 2K data: artists (the items), user-artist play counts, and per-artist tag
/// counts from the users' tag assignments. Files are tab-separated with a header; tags.dat is Latin-1;
/// line ends are mixed (LF and CRLF). Tag assignments on artists missing from artists.dat are dropped.
/// </summary>
public sealed record HetrecDataset(
    IReadOnlyDictionary<int, string> Artists,
    IReadOnlyList<(int User, int Artist, long Plays)> Plays,
    IReadOnlyDictionary<int, IReadOnlyDictionary<string, int>> ArtistTags)
{
    public static HetrecDataset Load(string folder)
    {
        var artists = new Dictionary<int, string>();
        foreach (var fields in Rows(Path.Combine(folder, "artists.dat"), Encoding.UTF8, 2))
        {
            artists[Int(fields[0])] = fields[1];
        }

        var plays = new List<(int, int, long)>();
        foreach (var fields in Rows(Path.Combine(folder, "user_artists.dat"), Encoding.UTF8, 3))
        {
            var artist = Int(fields[1]);
            if (artists.ContainsKey(artist)) plays.Add((Int(fields[0]), artist, long.Parse(fields[2], CultureInfo.InvariantCulture)));
        }

        var tagNames = new Dictionary<int, string>();
        foreach (var fields in Rows(Path.Combine(folder, "tags.dat"), Encoding.Latin1, 2))
        {
            tagNames[Int(fields[0])] = fields[1].Trim().ToLowerInvariant();
        }

        var tags = new Dictionary<int, Dictionary<string, int>>();
        foreach (var fields in Rows(Path.Combine(folder, "user_taggedartists.dat"), Encoding.UTF8, 3))
        {
            var artist = Int(fields[1]);
            if (!artists.ContainsKey(artist) || !tagNames.TryGetValue(Int(fields[2]), out var tag) || tag.Length == 0) continue;
            if (!tags.TryGetValue(artist, out var counts)) tags[artist] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
            counts[tag] = counts.GetValueOrDefault(tag) + 1;
        }
        return new HetrecDataset(artists, plays,
            tags.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value));
    }

    /// <summary>Data rows (header skipped) split on tabs; a row with fewer fields than needed is an error naming the line.</summary>
    private static IEnumerable<string[]> Rows(string path, Encoding encoding, int minFields)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"HetRec file not found: {path}", path);
        using var reader = new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: false);
        reader.ReadLine();
        var line = 1;
        string? text;
        while ((text = reader.ReadLine()) is not null)
        {
            line++;
            if (text.Length == 0) continue;
            var fields = text.Split('\t');
            if (fields.Length < minFields) throw new FormatException($"{Path.GetFileName(path)} line {line}: expected {minFields} tab-separated fields.");
            yield return fields;
        }
    }

    private static int Int(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
