using System.Globalization;
using SpotMirror.Core.Formats;

namespace SpotMirror.Evaluation;

/// <summary>One track of the mood reference (the Deezer mood-detection data set): its artist and its valence and arousal (standardised).</summary>
public sealed record MoodReferenceTrack(string Artist, string Title, double Valence, double Arousal);

/// <summary>The Deezer mood-detection splits (train.csv, validation.csv): comma-separated with a header, quoted where needed.</summary>
public static class MoodReferenceData
{
    public static IReadOnlyList<MoodReferenceTrack> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Deezer file not found: {path}", path);
        using var reader = new StreamReader(path);
        var result = new List<MoodReferenceTrack>();
        Dictionary<string, int>? columns = null;
        foreach (var (line, fields) in Csv.Read(reader))
        {
            if (columns is null)
            {
                columns = fields.Select((name, i) => (name.Trim(), i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.Ordinal);
                foreach (var needed in new[] { "valence", "arousal", "artist_name", "track_name" })
                {
                    if (!columns.ContainsKey(needed)) throw new FormatException($"{Path.GetFileName(path)}: no column {needed}.");
                }
                continue;
            }
            if (!double.TryParse(fields[columns["valence"]], NumberStyles.Float, CultureInfo.InvariantCulture, out var valence)
                || !double.TryParse(fields[columns["arousal"]], NumberStyles.Float, CultureInfo.InvariantCulture, out var arousal))
            {
                throw new FormatException($"{Path.GetFileName(path)} line {line}: valence and arousal must be numbers.");
            }
            result.Add(new MoodReferenceTrack(fields[columns["artist_name"]], fields[columns["track_name"]], valence, arousal));
        }
        return result;
    }
}
