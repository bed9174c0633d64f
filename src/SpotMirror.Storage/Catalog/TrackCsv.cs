using System.Globalization;
using SpotMirror.Core.Formats;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage.Catalog;

/// <summary>A CSV row that could not be read, and why.</summary>
public sealed record CsvProblem(int Line, string Message);

/// <summary>
/// Reads tracks from CSV with a header naming the columns: title, artist, tags (required) and
/// listeners, playcount, year (optional), in any order. Tags are separated by ';' or '|', most
/// relevant first; "rock:80" gives a tag an explicit 0-100 weight, otherwise weights fall from 100
/// by position. Bad rows are reported and skipped, never guessed at.
/// </summary>
public static class TrackCsv
{
    private static readonly string[] RequiredColumns = ["title", "artist", "tags"];

    public static (IReadOnlyList<TrackInput> Tracks, IReadOnlyList<CsvProblem> Problems) Read(TextReader reader, string? provider = null)
    {
        var tracks = new List<TrackInput>();
        var problems = new List<CsvProblem>();
        Dictionary<string, int>? columns = null;
        foreach (var (line, fields) in Csv.Read(reader))
        {
            if (columns is null)
            {
                columns = fields.Select((name, i) => (Name: name.Trim().TrimStart('\uFEFF').ToLowerInvariant(), i))
                    .GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
                var missing = RequiredColumns.Where(c => !columns.ContainsKey(c)).ToList();
                if (missing.Count > 0) throw new FormatException($"The CSV header lacks the column(s) {string.Join(", ", missing)}; it needs title, artist, tags.");
                continue;
            }
            var error = TryParse(fields, columns, provider, out var track);
            if (error is null) tracks.Add(track!);
            else problems.Add(new CsvProblem(line, error));
        }
        if (columns is null) throw new FormatException("The CSV file is empty; it needs a header line: title,artist,tags[,listeners,playcount,year].");
        return (tracks, problems);
    }

    private static string? TryParse(string[] fields, Dictionary<string, int> columns, string? provider, out TrackInput? track)
    {
        track = null;
        string Field(string name) => columns.TryGetValue(name, out var i) && i < fields.Length ? fields[i].Trim() : "";
        var title = Field("title");
        var artist = Field("artist");
        if (title.Length == 0 || artist.Length == 0) return "title and artist must not be empty";
        if (title.Length > 300 || artist.Length > 300) return "title or artist is longer than 300 characters";
        var tags = ParseTags(Field("tags"));
        if (tags is null) return "a tag weight is not a number from 0 to 100";
        if (!TryCount(Field("listeners"), out var listeners)) return "listeners is not a whole number of 0 or more";
        if (!TryCount(Field("playcount"), out var playcount)) return "playcount is not a whole number of 0 or more";
        int? year = null;
        var yearText = Field("year");
        if (yearText.Length > 0)
        {
            if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y < 1000 || y > 2100) return "year is not a year";
            year = y;
        }
        var providerId = provider is null ? null : $"{Core.Catalog.Text.Normalize(artist)}|{Core.Catalog.Text.Normalize(title)}";
        track = new TrackInput(title, artist, tags, year, listeners, playcount, provider, providerId);
        return null;
    }

    /// <summary>"rock;indie:60|sad" into weighted tags; null when a weight is malformed.</summary>
    public static IReadOnlyList<TagWeight>? ParseTags(string text)
    {
        var result = new List<TagWeight>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parts = text.Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var position = 0; position < parts.Length; position++)
        {
            var part = parts[position];
            float weight = Math.Max(10, 100 - (position * 10));
            var colon = part.LastIndexOf(':');
            if (colon > 0 && colon < part.Length - 1 && char.IsDigit(part[colon + 1]))
            {
                if (!float.TryParse(part[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || weight < 0 || weight > 100) return null;
                part = part[..colon].Trim();
            }
            var tag = part.ToLowerInvariant();
            if (tag.Length is > 0 and <= 60 && seen.Add(tag)) result.Add(new TagWeight(tag, weight));
        }
        return result;
    }

    private static bool TryCount(string text, out long? value)
    {
        value = null;
        if (text.Length == 0) return true;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return false;
        value = v;
        return true;
    }
}
