namespace SpotMirror.Testing.LastFm;

/// <summary>One tag on a fake track, with Last.fm's 0-100 count.</summary>
public readonly record struct FakeTag(string Name, int Count);

/// <summary>
/// A track the fake Last.fm knows. Url is built the way Last.fm builds its pages; Mbid is often empty on
/// Last.fm, and so is the image list (HasImages false leaves it out altogether).
/// </summary>
public sealed record FakeTrack(string Artist, string Name, long Listeners, long Playcount, IReadOnlyList<FakeTag> Tags)
{
    public string Mbid { get; init; } = "";

    public bool HasImages { get; init; } = true;

    public string Url => $"https://www.last.fm/music/{PagePart(Artist)}/_/{PagePart(Name)}";

    public int CountOf(string tag) => Tags.Where(t => t.Name.Equals(tag, StringComparison.OrdinalIgnoreCase)).Select(t => t.Count).DefaultIfEmpty(0).Max();

    private static string PagePart(string text) => Uri.EscapeDataString(text).Replace("%20", "+", StringComparison.Ordinal);
}

/// <summary>A person on the fake Last.fm: their most played tracks (with their own play counts) and the tracks they loved.</summary>
public sealed record FakeUser(string Name, IReadOnlyList<(FakeTrack Track, int Plays)> Top, IReadOnlyList<FakeTrack> Loved);

/// <summary>What the fake Last.fm knows: tracks (so tags and their top tracks) and users. Tests may change it between calls.</summary>
public sealed class LastFmWorld
{
    private readonly Lock _gate = new();
    private readonly List<FakeTrack> _tracks = [];
    private readonly Dictionary<string, FakeUser> _users = new(StringComparer.OrdinalIgnoreCase);

    public FakeTrack Add(FakeTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        lock (_gate)
        {
            _tracks.RemoveAll(t => Same(t, track.Artist, track.Name));
            _tracks.Add(track);
        }
        return track;
    }

    public FakeUser AddUser(FakeUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_gate) _users[user.Name] = user;
        return user;
    }

    public IReadOnlyList<FakeTrack> Tracks
    {
        get
        {
            lock (_gate) return [.. _tracks];
        }
    }

    /// <summary>A track by artist and name, ignoring case (as Last.fm's autocorrect would).</summary>
    public FakeTrack? Find(string? artist, string? name)
    {
        if (artist is null || name is null) return null;
        lock (_gate) return _tracks.FirstOrDefault(t => Same(t, artist, name));
    }

    public FakeUser? User(string? name)
    {
        if (name is null) return null;
        lock (_gate) return _users.GetValueOrDefault(name);
    }

    /// <summary>The tag's top tracks as Last.fm ranks them: by that tag's count, then listeners.</summary>
    public IReadOnlyList<FakeTrack> TopOfTag(string tag, int limit)
    {
        lock (_gate)
        {
            return _tracks.Where(t => t.CountOf(tag) > 0)
                .OrderByDescending(t => t.CountOf(tag)).ThenByDescending(t => t.Listeners)
                .Take(limit).ToList();
        }
    }

    /// <summary>Tracks whose title or artist holds the query, most listened first.</summary>
    public IReadOnlyList<FakeTrack> Search(string query, int limit)
    {
        lock (_gate)
        {
            return _tracks.Where(t => t.Name.Contains(query, StringComparison.OrdinalIgnoreCase) || t.Artist.Contains(query, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(t => t.Listeners).Take(limit).ToList();
        }
    }

    /// <summary>Other tracks sharing a tag with this one, with Last.fm's "match" as the share of shared tag counts.</summary>
    public IReadOnlyList<(FakeTrack Track, double Match)> Similar(FakeTrack seed, int limit)
    {
        ArgumentNullException.ThrowIfNull(seed);
        lock (_gate)
        {
            var total = Math.Max(1, seed.Tags.Sum(t => t.Count));
            return _tracks.Where(t => !ReferenceEquals(t, seed))
                .Select(t => (Track: t, Match: seed.Tags.Sum(s => Math.Min(s.Count, t.CountOf(s.Name))) / (double)total))
                .Where(x => x.Match > 0)
                .OrderByDescending(x => x.Match).Take(limit).ToList();
        }
    }

    /// <summary>
    /// A small world of real-looking tracks: three tags (happy, sad, chill) of four tracks each, one track under
    /// two of them, one track with no images and one with an MBID; and the user "rj" with top and loved tracks,
    /// one of which is in the starter catalogue, one both top and loved, and one Last.fm-only.
    /// </summary>
    public static LastFmWorld Sample()
    {
        var world = new LastFmWorld();
        var happy = world.Add(new FakeTrack("Pharrell Williams", "Happy", 1_900_000, 14_000_000, [new("pop", 100), new("happy", 88), new("feel good", 40)]));
        world.Add(new FakeTrack("Katrina and the Waves", "Walking on Sunshine", 900_000, 5_100_000, [new("80s", 100), new("happy", 75), new("pop", 60)]) { HasImages = false });
        world.Add(new FakeTrack("Bobby McFerrin", "Don't Worry Be Happy", 800_000, 4_000_000, [new("happy", 100), new("reggae", 45)]) { Mbid = "0f9c1b8e-7c2b-4a0c-9a1e-3f2d7e6c5b4a" });
        world.Add(new FakeTrack("Queen", "Don't Stop Me Now", 1_500_000, 12_000_000, [new("classic rock", 100), new("rock", 90), new("happy", 52)]));
        var hurt = world.Add(new FakeTrack("Johnny Cash", "Hurt", 1_200_000, 9_000_000, [new("country", 100), new("sad", 80), new("covers", 30)]));
        world.Add(new FakeTrack("Adele", "Someone Like You", 2_000_000, 20_000_000, [new("soul", 100), new("sad", 90), new("pop", 55)]));
        world.Add(new FakeTrack("Gary Jules", "Mad World", 1_100_000, 7_000_000, [new("sad", 100), new("covers", 70)]));
        world.Add(new FakeTrack("Radiohead", "Exit Music (For a Film)", 950_000, 8_000_000, [new("alternative", 100), new("sad", 85), new("chill", 20)]));
        world.Add(new FakeTrack("Bonobo", "Kiara", 400_000, 3_000_000, [new("electronic", 100), new("chill", 95), new("downtempo", 80)]));
        var weightless = world.Add(new FakeTrack("Marconi Union", "Weightless", 500_000, 4_500_000, [new("ambient", 100), new("chill", 90), new("relaxing", 85)]));
        world.Add(new FakeTrack("Tycho", "Awake", 450_000, 3_500_000, [new("electronic", 100), new("chill", 80)]));
        var only = world.Add(new FakeTrack("Nujabes", "Aruarian Dance", 600_000, 5_000_000, [new("hip-hop", 100), new("chill", 70), new("jazz hop", 60)]));
        world.AddUser(new FakeUser("rj", [(only, 312), (hurt, 120), (happy, 45)], [only, weightless]));
        world.AddUser(new FakeUser("quiet", [], []));
        return world;
    }

    private static bool Same(FakeTrack track, string artist, string name) =>
        track.Artist.Equals(artist, StringComparison.OrdinalIgnoreCase) && track.Name.Equals(name, StringComparison.OrdinalIgnoreCase);
}
