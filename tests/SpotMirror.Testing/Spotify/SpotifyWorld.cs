using System.Security.Cryptography;
using System.Text;

namespace SpotMirror.Testing.Spotify;

/// <summary>An artist on the fake Spotify: its genres are what a genre: search filters on, as on Spotify.</summary>
public sealed record FakeArtist(string Name, IReadOnlyList<string> Genres, int Popularity = 60)
{
    public string Id { get; init; } = SpotifyWorld.IdOf("artist:" + Name);
}

/// <summary>An album: release_date is as precise as its precision says ("1975", "1975-10" or "1975-10-31").</summary>
public sealed record FakeAlbum(string Name, string ReleaseDate, string Precision = "day")
{
    public string Id { get; init; } = SpotifyWorld.IdOf("album:" + Name + ReleaseDate);
}

/// <summary>A track on the fake Spotify; Isrc may be null (some tracks have no external ids).</summary>
public sealed record FakeSpotifyTrack(string Name, IReadOnlyList<FakeArtist> Artists, FakeAlbum Album, int Popularity, string? Isrc)
{
    public string Id { get; init; } = SpotifyWorld.IdOf("track:" + Name + "|" + string.Join(',', Artists.Select(a => a.Name)) + "|" + Album.Name);

    public string Url => "https://open.spotify.com/track/" + Id;
}

/// <summary>What the fake Spotify knows: tracks and, through them, artists. Tests may change it between calls.</summary>
public sealed class SpotifyWorld
{
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private readonly Lock _gate = new();
    private readonly List<FakeSpotifyTrack> _tracks = [];

    /// <summary>A Spotify-shaped id (22 base-62 characters), the same for the same seed.</summary>
    public static string IdOf(string seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        var id = new StringBuilder(22);
        for (var i = 0; i < 22; i++) id.Append(Base62[hash[i] % Base62.Length]);
        return id.ToString();
    }

    public FakeSpotifyTrack Add(FakeSpotifyTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        lock (_gate)
        {
            _tracks.RemoveAll(t => t.Id == track.Id);
            _tracks.Add(track);
        }
        return track;
    }

    public IReadOnlyList<FakeSpotifyTrack> Tracks
    {
        get
        {
            lock (_gate) return [.. _tracks];
        }
    }

    public FakeSpotifyTrack? Track(string id)
    {
        lock (_gate) return _tracks.FirstOrDefault(t => t.Id == id);
    }

    public FakeArtist? Artist(string id)
    {
        lock (_gate) return _tracks.SelectMany(t => t.Artists).FirstOrDefault(a => a.Id == id);
    }

    /// <summary>
    /// A search as Spotify runs one, in the part of its query language the fake speaks: genre:"x" keeps tracks
    /// with an artist of that genre, track:"x" and artist:"x" look in the title and the artists' names, and any
    /// other word must be in one of them. Most popular first; the id breaks ties so pages never overlap.
    /// </summary>
    public IReadOnlyList<FakeSpotifyTrack> Search(string query)
    {
        var (fields, words) = SpotifyQuery.Parse(query);
        bool InTitle(FakeSpotifyTrack t, string w) => t.Name.Contains(w, StringComparison.OrdinalIgnoreCase);
        bool InArtists(FakeSpotifyTrack t, string w) => t.Artists.Any(a => a.Name.Contains(w, StringComparison.OrdinalIgnoreCase));
        lock (_gate)
        {
            return _tracks
                .Where(t => !fields.TryGetValue("genre", out var genre) || t.Artists.Any(a => a.Genres.Contains(genre, StringComparer.OrdinalIgnoreCase)))
                .Where(t => !fields.TryGetValue("track", out var title) || InTitle(t, title))
                .Where(t => !fields.TryGetValue("artist", out var artist) || InArtists(t, artist))
                .Where(t => words.All(w => InTitle(t, w) || InArtists(t, w)))
                .OrderByDescending(t => t.Popularity).ThenBy(t => t.Id, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>
    /// A small world that overlaps the fake Last.fm's sample under other names, as Spotify names things:
    /// "Happy - From "Despicable Me 2"", "Don't Stop Me Now - Remastered 2011", a featured artist in brackets,
    /// a live cut, the same recording (one ISRC) on an album and on a compilation, a track without an ISRC,
    /// years given to the day, the month and the year; genres pop, rock, soul, electronic, jazz.
    /// </summary>
    public static SpotifyWorld Sample()
    {
        var world = new SpotifyWorld();
        var pharrell = new FakeArtist("Pharrell Williams", ["dance pop", "pop"], 80);
        var queen = new FakeArtist("Queen", ["classic rock", "glam rock", "rock"], 85);
        var adele = new FakeArtist("Adele", ["british soul", "pop", "soul"], 84);
        var katrina = new FakeArtist("Katrina & The Waves", ["new wave pop", "pop"], 55);
        var bonobo = new FakeArtist("Bonobo", ["downtempo", "electronic", "trip hop"], 62);
        var tycho = new FakeArtist("Tycho", ["chillwave", "electronic"], 58);
        var daft = new FakeArtist("Daft Punk", ["electro", "electronic", "filter house"], 82);
        var nile = new FakeArtist("Nile Rodgers", ["disco", "funk"], 60);
        var miles = new FakeArtist("Miles Davis", ["cool jazz", "jazz", "hard bop"], 70);
        var coltrane = new FakeArtist("John Coltrane", ["free jazz", "hard bop", "jazz"], 66);
        var nujabes = new FakeArtist("Nujabes", ["jazz hop", "jazz", "lo-fi beats"], 64);

        world.Add(new FakeSpotifyTrack("Happy - From \"Despicable Me 2\"", [pharrell], new("G I R L", "2014-03-03"), 78, "USQ4E1300686"));
        world.Add(new FakeSpotifyTrack("Don't Stop Me Now - Remastered 2011", [queen], new("Jazz (2011 Remaster)", "1978-11-10"), 86, "GBUM71029604"));
        world.Add(new FakeSpotifyTrack("Bohemian Rhapsody - Live Aid", [queen], new("Live Aid", "1985", "year"), 61, "GBUM71805471"));
        world.Add(new FakeSpotifyTrack("Someone Like You", [adele], new("21", "2011-01-24"), 84, "GBBKS1000351"));
        world.Add(new FakeSpotifyTrack("Someone Like You", [adele], new("Now That's What I Call Music! 79", "2011-07", "month"), 40, "GBBKS1000351"));
        world.Add(new FakeSpotifyTrack("Walking On Sunshine", [katrina], new("Walking On Sunshine", "1985-05-01"), 75, "GBAYE8500045"));
        world.Add(new FakeSpotifyTrack("Kiara", [bonobo], new("Black Sands", "2010-03-29"), 57, null));
        world.Add(new FakeSpotifyTrack("Awake", [tycho], new("Awake", "2014-03-18"), 55, "US3DF1300013"));
        world.Add(new FakeSpotifyTrack("Get Lucky (feat. Pharrell Williams and Nile Rodgers) - Radio Edit", [daft, pharrell, nile], new("Get Lucky", "2013-04-19"), 81, "USQX91300108"));
        world.Add(new FakeSpotifyTrack("So What", [miles], new("Kind Of Blue", "1959-08-17"), 68, "USSM15900113"));
        world.Add(new FakeSpotifyTrack("Naima - Mono", [coltrane], new("Giant Steps", "1960", "year"), 52, "USAT20001403"));
        world.Add(new FakeSpotifyTrack("Aruarian Dance", [nujabes], new("Samurai Champloo Music Record: Departure", "2004-05-19"), 65, "JPK650400202"));
        return world;
    }
}

/// <summary>The fake's reading of a Spotify search query: field filters (genre:, track:, artist:, quoted or bare) and free words.</summary>
internal static class SpotifyQuery
{
    private static readonly string[] Fields = ["genre", "track", "artist"];

    public static (IReadOnlyDictionary<string, string> Fields, IReadOnlyList<string> Words) Parse(string query)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var words = new List<string>();
        var at = 0;
        while (at < query.Length)
        {
            if (query[at] == ' ')
            {
                at++;
                continue;
            }
            var field = Fields.FirstOrDefault(f => string.Compare(query, at, f + ":", 0, f.Length + 1, StringComparison.OrdinalIgnoreCase) == 0);
            var start = field is null ? at : at + field.Length + 1;
            int end;
            string value;
            if (start < query.Length && query[start] == '"')
            {
                end = query.IndexOf('"', start + 1);
                if (end < 0) end = query.Length;
                value = query[(start + 1)..end];
                end = Math.Min(end + 1, query.Length);
            }
            else
            {
                end = query.IndexOf(' ', start);
                if (end < 0) end = query.Length;
                value = query[start..end];
            }
            if (field is null) words.Add(value);
            else fields[field] = value;
            at = end;
        }
        return (fields, words.Where(w => w.Length > 0).ToList());
    }
}
