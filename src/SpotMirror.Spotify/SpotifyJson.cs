using System.Globalization;
using System.Text.Json;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;

namespace SpotMirror.Spotify;

/// <summary>
/// Reading the Web API's JSON: track objects (artists as an array, album.release_date as precise as
/// release_date_precision says, external_ids.isrc when there is one), paging objects, full artists with their
/// genres, and the error object {"error": {"status", "message"}}.
/// </summary>
internal static class SpotifyJson
{
    public const int MaxTags = 25;

    /// <summary>The weight of a genre of the track's first artist; a featured artist's genres count half.</summary>
    public const float LeadGenreWeight = 100;

    public static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    public static string? Text(JsonElement element, string name)
    {
        var value = Child(element, name);
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public static long? Number(JsonElement element, string name)
    {
        var value = Child(element, name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var whole) ? whole : null;
    }

    public static IEnumerable<JsonElement> Array(JsonElement element, string name)
    {
        var value = Child(element, name);
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];
    }

    /// <summary>The message of Spotify's error object, or of the accounts service's error_description.</summary>
    public static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var error = Child(document.RootElement, "error");
            return error.ValueKind == JsonValueKind.Object ? Text(error, "message") : Text(document.RootElement, "error_description");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The artists' ids of a track object, lead artist first.</summary>
    public static IReadOnlyList<string> ArtistIds(JsonElement track) =>
        Array(track, "artists").Select(a => Text(a, "id")).OfType<string>().ToList();

    /// <summary>
    /// A track object as a provider track, its tags the genres of its artists (<paramref name="genresOf"/>):
    /// the lead artist's at full weight, the others' at half. Null when it lacks an id, a name or an artist.
    /// </summary>
    public static ProviderTrack? Track(JsonElement item, Func<string, IReadOnlyList<string>> genresOf)
    {
        var id = Text(item, "id");
        var title = Text(item, "name");
        var artists = Array(item, "artists").Select(a => (Id: Text(a, "id"), Name: Text(a, "name"))).Where(a => a.Name is not null).ToList();
        if (id is null || title is null || artists.Count == 0) return null;
        var album = Child(item, "album");
        var popularity = Number(item, "popularity");
        return new ProviderTrack(SpotifyProvider.ProviderName, id, title, artists[0].Name!, Tags(artists.Select(a => a.Id is null ? [] : genresOf(a.Id)).ToList()))
        {
            Year = Year(Text(album, "release_date")),
            Isrc = Isrc(Text(Child(item, "external_ids"), "isrc")),
            Popularity = popularity is >= 0 and <= 100 ? (int)popularity : null,
            Url = Text(Child(item, "external_urls"), "spotify"),
            TagsFillOnly = true,
        };
    }

    /// <summary>"1975", "1975-10" and "1975-10-31" all give 1975 (whatever the precision); "0000" gives nothing.</summary>
    public static int? Year(string? releaseDate) =>
        releaseDate is { Length: >= 4 } && int.TryParse(releaseDate.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year >= 1000
            ? year
            : null;

    /// <summary>An ISRC in its plain twelve-character form ("GB-UM7-10-29604" and "gbum71029604" both give GBUM71029604).</summary>
    public static string? Isrc(string? raw)
    {
        if (raw is null) return null;
        var plain = new string(raw.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return plain.Length == 12 ? plain : null;
    }

    public static IReadOnlyList<TagWeight> Tags(IReadOnlyList<IReadOnlyList<string>> genresByArtist)
    {
        var tags = new List<TagWeight>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < genresByArtist.Count; i++)
        {
            foreach (var raw in genresByArtist[i])
            {
                if (TagName(raw) is not { } name || !seen.Add(name)) continue;
                tags.Add(new TagWeight(name, i == 0 ? LeadGenreWeight : LeadGenreWeight / 2));
                if (tags.Count == MaxTags) return tags;
            }
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
