using System.Globalization;
using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Spotify;

/// <summary>
/// The Web API's JSON as Spotify sends it: full track objects (album with release_date and its precision,
/// artists as an array of simplified artists, external_ids.isrc, external_urls.spotify, popularity), paging
/// objects (href, items, limit, next, offset, previous, total), full artists with genres, and the error
/// object {"error": {"status", "message"}}.
/// </summary>
internal static class SpotifyAnswers
{
    public const string Public = "https://api.spotify.com/v1";

    public static JsonObject SearchPage(string apiBase, string query, IReadOnlyList<FakeSpotifyTrack> all, int offset, int limit, string? market)
    {
        var page = all.Skip(offset).Take(limit).Select(t => (JsonNode)Track(t)).ToArray();
        string Href(int at) => string.Create(CultureInfo.InvariantCulture,
            $"{apiBase}/search?offset={at}&limit={limit}&query={Uri.EscapeDataString(query)}&type=track{(market is null ? "" : "&market=" + market)}");
        return new JsonObject
        {
            ["tracks"] = new JsonObject
            {
                ["href"] = Href(offset),
                ["items"] = new JsonArray(page),
                ["limit"] = limit,
                ["next"] = offset + limit < all.Count ? Href(offset + limit) : null,
                ["offset"] = offset,
                ["previous"] = offset > 0 ? Href(Math.Max(0, offset - limit)) : null,
                ["total"] = all.Count,
            },
        };
    }

    /// <summary>A paging object of the /me routes: its next and previous repeat the path with offset and limit.</summary>
    public static JsonObject Paging(string href, IReadOnlyList<FakeSpotifyTrack> all, int offset, int limit, Func<FakeSpotifyTrack, JsonObject> item)
    {
        string Href(int at) => string.Create(CultureInfo.InvariantCulture, $"{href}?offset={at}&limit={limit}");
        return new JsonObject
        {
            ["href"] = Href(offset),
            ["items"] = new JsonArray(all.Skip(offset).Take(limit).Select(t => (JsonNode)item(t)).ToArray()),
            ["limit"] = limit,
            ["next"] = offset + limit < all.Count ? Href(offset + limit) : null,
            ["offset"] = offset,
            ["previous"] = offset > 0 ? Href(Math.Max(0, offset - limit)) : null,
            ["total"] = all.Count,
        };
    }

    public static JsonObject Track(FakeSpotifyTrack track)
    {
        var item = new JsonObject
        {
            ["album"] = Album(track.Album, track.Artists),
            ["artists"] = new JsonArray(track.Artists.Select(a => (JsonNode)SimpleArtist(a)).ToArray()),
            ["available_markets"] = new JsonArray("GB", "US", "DE"),
            ["disc_number"] = 1,
            ["duration_ms"] = 200_000 + (track.Name.Length * 1_000),
            ["explicit"] = false,
            ["external_ids"] = track.Isrc is null ? new JsonObject() : new JsonObject { ["isrc"] = track.Isrc },
            ["external_urls"] = new JsonObject { ["spotify"] = track.Url },
            ["href"] = $"{Public}/tracks/{track.Id}",
            ["id"] = track.Id,
            ["is_local"] = false,
            ["name"] = track.Name,
            ["popularity"] = track.Popularity,
            ["preview_url"] = null,
            ["track_number"] = 1,
            ["type"] = "track",
            ["uri"] = "spotify:track:" + track.Id,
        };
        return item;
    }

    public static JsonObject Artists(IEnumerable<FakeArtist?> artists) => new()
    {
        ["artists"] = new JsonArray(artists.Select(a => a is null ? null : (JsonNode)FullArtist(a)).ToArray()),
    };

    public static JsonObject Tracks(IEnumerable<FakeSpotifyTrack?> tracks) => new()
    {
        ["tracks"] = new JsonArray(tracks.Select(t => t is null ? null : (JsonNode)Track(t)).ToArray()),
    };

    public static JsonObject Error(int status, string message) => new()
    {
        ["error"] = new JsonObject { ["status"] = status, ["message"] = message },
    };

    /// <summary>The accounts service's error shape, which differs from the Web API's.</summary>
    public static JsonObject AuthError(string error, string description) => new()
    {
        ["error"] = error,
        ["error_description"] = description,
    };

    public static JsonObject Token(string token, int expiresIn) => new()
    {
        ["access_token"] = token,
        ["token_type"] = "Bearer",
        ["expires_in"] = expiresIn,
    };

    private static JsonObject Album(FakeAlbum album, IReadOnlyList<FakeArtist> artists) => new()
    {
        ["album_type"] = "album",
        ["artists"] = new JsonArray(SimpleArtist(artists[0])),
        ["external_urls"] = new JsonObject { ["spotify"] = "https://open.spotify.com/album/" + album.Id },
        ["href"] = $"{Public}/albums/{album.Id}",
        ["id"] = album.Id,
        ["images"] = new JsonArray(new JsonObject { ["height"] = 640, ["url"] = "https://i.scdn.co/image/" + album.Id, ["width"] = 640 }),
        ["name"] = album.Name,
        ["release_date"] = album.ReleaseDate,
        ["release_date_precision"] = album.Precision,
        ["total_tracks"] = 10,
        ["type"] = "album",
        ["uri"] = "spotify:album:" + album.Id,
    };

    private static JsonObject SimpleArtist(FakeArtist artist) => new()
    {
        ["external_urls"] = new JsonObject { ["spotify"] = "https://open.spotify.com/artist/" + artist.Id },
        ["href"] = $"{Public}/artists/{artist.Id}",
        ["id"] = artist.Id,
        ["name"] = artist.Name,
        ["type"] = "artist",
        ["uri"] = "spotify:artist:" + artist.Id,
    };

    private static JsonObject FullArtist(FakeArtist artist)
    {
        var item = SimpleArtist(artist);
        item["followers"] = new JsonObject { ["href"] = null, ["total"] = artist.Popularity * 100_000 };
        item["genres"] = new JsonArray(artist.Genres.Select(g => (JsonNode)JsonValue.Create(g)).ToArray());
        item["images"] = new JsonArray();
        item["popularity"] = artist.Popularity;
        return item;
    }
}
