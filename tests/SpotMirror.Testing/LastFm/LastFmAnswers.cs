using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.LastFm;

/// <summary>
/// The JSON of Last.fm's read methods, with the shapes' real quirks: counts as strings in most methods and
/// as numbers in some (getTopTags' count, getSimilar's playcount and match), a list of one as a bare object,
/// an empty list as [], images often missing, an artist that is an object in most methods and a string in
/// track.search, and "@attr" blocks with string numbers.
/// </summary>
internal static class LastFmAnswers
{
    public static JsonObject TagTopTracks(string tag, IReadOnlyList<FakeTrack> tracks, int limit) => new()
    {
        ["tracks"] = new JsonObject
        {
            ["track"] = List(tracks.Select((t, i) =>
            {
                var item = TrackBase(t);
                item["duration"] = "0";
                item["@attr"] = new JsonObject { ["rank"] = S(i + 1) };
                return item;
            })),
            ["@attr"] = Paging(("tag", tag), tracks.Count, limit),
        },
    };

    public static JsonObject TrackInfo(FakeTrack track)
    {
        var item = TrackBase(track, withImages: false);
        item["duration"] = "215000";
        item["listeners"] = S(track.Listeners);
        item["playcount"] = S(track.Playcount);
        if (track.HasImages)
        {
            item["album"] = new JsonObject { ["artist"] = track.Artist, ["title"] = track.Name + " (Single)", ["url"] = track.Url + "/album", ["image"] = Images() };
        }
        item["toptags"] = new JsonObject { ["tag"] = List(track.Tags.Take(5).Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["url"] = "https://www.last.fm/tag/" + Uri.EscapeDataString(t.Name) })) };
        return new JsonObject { ["track"] = item };
    }

    public static JsonObject TopTags(FakeTrack track) => new()
    {
        ["toptags"] = new JsonObject
        {
            ["tag"] = List(track.Tags.OrderByDescending(t => t.Count).Select(t => (JsonNode)new JsonObject
            {
                ["count"] = t.Count,
                ["name"] = t.Name,
                ["url"] = "https://www.last.fm/tag/" + Uri.EscapeDataString(t.Name),
            })),
            ["@attr"] = new JsonObject { ["artist"] = track.Artist, ["track"] = track.Name },
        },
    };

    public static JsonObject Search(string query, IReadOnlyList<FakeTrack> tracks) => new()
    {
        ["results"] = new JsonObject
        {
            ["opensearch:Query"] = new JsonObject { ["#text"] = "", ["role"] = "request", ["startPage"] = "1" },
            ["opensearch:totalResults"] = S(tracks.Count),
            ["opensearch:startIndex"] = "0",
            ["opensearch:itemsPerPage"] = "30",
            ["trackmatches"] = new JsonObject
            {
                ["track"] = List(tracks.Select(t =>
                {
                    var item = new JsonObject { ["name"] = t.Name, ["artist"] = t.Artist, ["url"] = t.Url, ["streamable"] = "FIXME", ["listeners"] = S(t.Listeners), ["mbid"] = t.Mbid };
                    if (t.HasImages) item["image"] = Images();
                    return (JsonNode)item;
                })),
            },
            ["@attr"] = new JsonObject { ["for"] = query },
        },
    };

    public static JsonObject Similar(FakeTrack seed, IReadOnlyList<(FakeTrack Track, double Match)> similar) => new()
    {
        ["similartracks"] = new JsonObject
        {
            ["track"] = List(similar.Select(s =>
            {
                var item = TrackBase(s.Track);
                item["playcount"] = s.Track.Playcount;
                item["match"] = Math.Round(s.Match, 6);
                item["duration"] = 215;
                return item;
            })),
            ["@attr"] = new JsonObject { ["artist"] = seed.Artist },
        },
    };

    public static JsonObject UserTopTracks(FakeUser user, int limit) => new()
    {
        ["toptracks"] = new JsonObject
        {
            ["track"] = List(user.Top.Take(limit).Select((t, i) =>
            {
                var item = TrackBase(t.Track);
                item["duration"] = "0";
                item["@attr"] = new JsonObject { ["rank"] = S(i + 1) };
                item["playcount"] = S(t.Plays);
                return item;
            })),
            ["@attr"] = Paging(("user", user.Name), user.Top.Count, limit),
        },
    };

    public static JsonObject UserLovedTracks(FakeUser user, int limit) => new()
    {
        ["lovedtracks"] = new JsonObject
        {
            ["track"] = List(user.Loved.Take(limit).Select(t =>
            {
                var item = TrackBase(t);
                item["date"] = new JsonObject { ["uts"] = "1700000000", ["#text"] = "14 Nov 2023, 22:13" };
                return item;
            })),
            ["@attr"] = Paging(("user", user.Name), user.Loved.Count, limit),
        },
    };

    public static JsonObject Error(int code, string message) => new() { ["message"] = message, ["error"] = code, ["links"] = new JsonArray() };

    /// <summary>A list as Last.fm renders it: an array, except that exactly one item comes as the bare object.</summary>
    private static JsonNode List(IEnumerable<JsonNode> items)
    {
        var all = items.ToList();
        return all.Count == 1 ? all[0] : new JsonArray([.. all]);
    }

    private static JsonObject TrackBase(FakeTrack track, bool withImages = true)
    {
        var item = new JsonObject
        {
            ["name"] = track.Name,
            ["mbid"] = track.Mbid,
            ["url"] = track.Url,
            ["streamable"] = new JsonObject { ["#text"] = "0", ["fulltrack"] = "0" },
            ["artist"] = new JsonObject { ["name"] = track.Artist, ["mbid"] = "", ["url"] = "https://www.last.fm/music/" + Uri.EscapeDataString(track.Artist) },
        };
        if (withImages && track.HasImages) item["image"] = Images();
        return item;
    }

    private static JsonArray Images() =>
    [
        new JsonObject { ["#text"] = "https://lastfm.freetls.fastly.net/i/u/34s/2a96cbd8b46e442fc41c2b86b821562f.png", ["size"] = "small" },
        new JsonObject { ["#text"] = "", ["size"] = "medium" },
        new JsonObject { ["#text"] = "", ["size"] = "large" },
    ];

    private static JsonObject Paging((string Name, string Value) owner, int total, int limit) => new()
    {
        [owner.Name] = owner.Value,
        ["page"] = "1",
        ["perPage"] = S(limit),
        ["totalPages"] = S(Math.Max(1, (total + Math.Max(1, limit) - 1) / Math.Max(1, limit))),
        ["total"] = S(total),
    };

    private static string S(long value) => value.ToString(CultureInfo.InvariantCulture);
}
