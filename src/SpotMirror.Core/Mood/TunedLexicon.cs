using System.Globalization;

namespace SpotMirror.Core.Mood;

/// <summary>
/// The tag places fitted by `eval mood --write-lexicon` on the Deezer train split (aggregate per-tag
/// means, no rows of the data set), shipped as an embedded TSV: tag, valence, arousal, strength.
/// </summary>
internal static class TunedLexicon
{
    public static IEnumerable<(string Word, LexiconEntry Entry)> Load()
    {
        using var stream = typeof(TunedLexicon).Assembly.GetManifestResourceStream("tuned-lexicon.tsv");
        if (stream is null) return [];
        using var reader = new StreamReader(stream);
        var result = new List<(string, LexiconEntry)>();
        reader.ReadLine();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var f = line.Split('\t');
            if (f.Length != 4) continue;
            result.Add((f[0], new LexiconEntry(
                new MoodPoint(float.Parse(f[1], CultureInfo.InvariantCulture), float.Parse(f[2], CultureInfo.InvariantCulture)),
                float.Parse(f[3], CultureInfo.InvariantCulture))));
        }
        return result;
    }
}
