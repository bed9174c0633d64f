using System.Globalization;
using System.Text.Json;
using SpotMirror.Core.Catalog;

namespace SpotMirror.LastFm;

/// <summary>
/// Reading Last.fm's JSON as it really comes: a list of one is an object instead of an array, an empty list
/// may be missing or a string, numbers arrive as strings (or numbers, depending on the method), a name may
/// be a string or an object with "name" or "#text", images and ids are often missing or empty.
/// </summary>
internal static class LastFmJson
{
    public const int MaxTags = 25;

    /// <summary>The named property of an object; an undefined element for anything else, so lookups chain safely.</summary>
    public static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>The objects of a list that may be an array, a single object, or missing.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement container, string name)
    {
        var value = Child(container, name);
        if (value.ValueKind == JsonValueKind.Object) return [value];
        if (value.ValueKind == JsonValueKind.Array) return value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object).ToList();
        return [];
    }

    /// <summary>A string, a number's digits, or an object's "#text" or "name"; null when missing or blank.</summary>
    public static string? Text(JsonElement element, string name)
    {
        var value = Child(element, name);
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Object => Text(value, "#text") ?? Text(value, "name"),
            _ => null,
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>A whole number that may be sent as a number or as a string; null when missing or not a number.</summary>
    public static long? Count(JsonElement element, string name)
    {
        var value = Child(element, name);
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var whole)) return whole;
            return value.TryGetDouble(out var real) ? (long)real : null;
        }
        if (value.ValueKind != JsonValueKind.String) return null;
        var text = value.GetString();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) ? (long)d : null;
    }

    public static double? Real(JsonElement element, string name)
    {
        var value = Child(element, name);
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        return value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)
            ? parsed
            : null;
    }

    /// <summary>An error code, which Last.fm sends as a number (and some proxies as a string).</summary>
    public static int? ErrorCode(JsonElement root)
    {
        var code = Count(root, "error");
        return code is >= int.MinValue and <= int.MaxValue ? (int)code : null;
    }

    /// <summary>
    /// Last.fm's id for a track: the path of its page (".../music/Cher/_/Believe" gives "cher/_/believe"),
    /// unescaped and lower-cased, since Last.fm's pages are case-blind; else the MusicBrainz id; else null.
    /// </summary>
    public static string? ProviderId(string? url, string? mbid)
    {
        if (url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            var path = uri.AbsolutePath;
            var music = path.IndexOf("/music/", StringComparison.Ordinal);
            if (music >= 0)
            {
                var page = Uri.UnescapeDataString(path[(music + "/music/".Length)..].Replace('+', ' ')).Trim('/');
                if (page.Length > 0) return page.ToLowerInvariant();
            }
        }
        return string.IsNullOrWhiteSpace(mbid) ? null : "mbid:" + mbid.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// Weighted tags from a toptags object: counts (0-100) as weights, names lower-cased with single spaces,
    /// tags with no count left out, at most <see cref="MaxTags"/>. Without counts (track.getInfo's short list)
    /// weights fall from 100 by position, as the CSV importer does.
    /// </summary>
    public static IReadOnlyList<TagWeight> Tags(JsonElement toptags)
    {
        var tags = new List<TagWeight>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var item in Items(toptags, "tag"))
        {
            var name = TagName(Text(item, "name"));
            var count = Count(item, "count");
            var weight = count is { } c ? Math.Clamp(c, 0, 100) : Math.Max(10, 100 - (position * 10));
            position++;
            if (name is null || weight <= 0 || !seen.Add(name)) continue;
            tags.Add(new TagWeight(name, weight));
            if (tags.Count == MaxTags) break;
        }
        return tags;
    }

    public static string? TagName(string? raw)
    {
        if (raw is null) return null;
        var name = string.Join(' ', raw.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return name.Length is > 0 and <= 60 ? name : null;
    }
}
