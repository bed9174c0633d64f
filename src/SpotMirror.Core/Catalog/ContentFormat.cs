namespace SpotMirror.Core.Catalog;

/// <summary>
/// What the content vectors kept in a start-up snapshot were computed by. <see cref="Version"/> is bumped by hand
/// whenever the TF-IDF code or anything it calls changes its output (a test holds the probe catalogue's checksum for
/// each version, so a change that forgets the bump fails). The stamp also carries the probe's checksum as this process
/// computes it: a change the version missed (another runtime's Unicode tables under <see cref="Text.Normalize"/>)
/// still makes a snapshot from before it recompute its vectors. A deploy that leaves both alike keeps the snapshot.
/// </summary>
public static class ContentFormat
{
    public const int Version = 1;

    private static readonly Lazy<ulong> Probe = new(() => Checksum(ProbeCatalogue()));

    /// <summary>The stamp written beside the vectors and compared on reading.</summary>
    public static (int Version, ulong Probe) Stamp => (Version, Probe.Value);

    /// <summary>The checksum of the probe catalogue's vectors as this build computes them.</summary>
    public static ulong ProbeChecksum => Probe.Value;

    /// <summary>
    /// A few tracks that exercise every rule of the vectors: tag weights and the top tag, tags and artists that
    /// normalise alike, apostrophes, accents and other scripts, stop words, short and repeated title words, digits,
    /// a track with no tags and an artist that normalises to nothing.
    /// </summary>
    internal static Track[] ProbeCatalogue() =>
    [
        new(1, "Don't Stop Me Now", "Queen", 1978, [new("rock", 100), new("Classic Rock", 60), new("70s", 20)]),
        new(2, "Bohemian Rhapsody (Remastered)", "QUEEN", 1975, [new("rock", 100), new("opera", 35.5f)]),
        new(3, "Hoppípolla", "Sigur Rós", 2005, [new("post-rock", 100), new("Post Rock", 80), new("icelandic", 40)]),
        new(4, "Ça plane pour moi", "Plastic Bertrand", 1977, [new("punk", 100), new("French", 12.25f)]),
        new(5, "Кино Группа Крови", "Кино", 1988, [new("russian rock", 100), new("rock", 50)]),
        new(6, "東京 Tokyo Night", "Ｙｅｌｌｏｗ Magic", 1980, [new("synthpop", 100), new("japanese", 70), new("rock", 0)]),
        new(7, "Rock Rock Rock the Rock", "!!!", 2004, [new("dance-punk", 100)]),
        new(8, "1999", "Prince", 1982, []),
        new(9, "My Love Is Your Love (feat. Someone) Live Version", "Whitney Houston", 1998, [new("soul", 3), new("rnb", 2)]),
        new(10, "Rock’n’Roll Ain’t Noise Pollution", "AC/DC", 1980, [new("hard rock", 90), new("Rock", 45), new("classic rock", 30)]),
        new(11, "Hip Hop Hooray", "Naughty by Nature", 1993, [new("Hip-Hop", 100), new("hip hop", 100), new("90s", 55)]),
        new(12, "An Ode To Joy", "Beethoven", null, [new("classical", 100), new("rock", 1)]),
    ];

    /// <summary>FNV-1a over the feature names in id order and the vectors' offsets, columns and value bits.</summary>
    internal static ulong Checksum(IReadOnlyList<Track> tracks)
    {
        var (features, postings, ids) = TfIdf.Build(tracks, ContentWeights.Default);
        var hash = 14695981039346656037UL;
        var names = new string[ids.Count];
        foreach (var (name, id) in ids) names[id] = name;
        foreach (var name in names)
        {
            foreach (var c in name) Mix(c);
            Mix(0);
        }
        foreach (var rows in new[] { features, postings })
        {
            foreach (var offset in rows.Offsets) Mix((uint)offset);
            foreach (var column in rows.Columns) Mix((uint)column);
            foreach (var value in rows.Values) Mix(BitConverter.SingleToUInt32Bits(value));
        }
        return hash;

        void Mix(uint value)
        {
            for (var b = 0; b < 4; b++, value >>= 8) hash = (hash ^ (value & 0xFF)) * 1099511628211UL;
        }
    }
}
