namespace SpotMirror.Core.Catalog;

/// <summary>Where a track can be played or read about: a service's name, how it is shown, and the address.</summary>
public sealed record ListenLink(string Service, string Label, string Url);

/// <summary>
/// Builds a track's links from its artist and title alone (search pages need no API key), plus its
/// Last.fm page: the one the provider gave when there is one, else the address Last.fm gives that name;
/// and its Spotify page when the track carries a Spotify id, else a Spotify search.
/// </summary>
public sealed class ListenLinker
{
    public const string LastFm = "lastfm";
    public const string Spotify = "spotify";
    public const string YouTubeMusic = "youtube-music";
    public const string AppleMusic = "apple-music";

    /// <summary>Every service a link can be built for, in the order they are shown by default.</summary>
    public static readonly IReadOnlyList<string> Known = [LastFm, Spotify, YouTubeMusic, AppleMusic];

    /// <summary>Words longer than this are cut before they go into a search address, so no link outgrows a button's URL limit.</summary>
    private const int MaxQueryPart = 100;

    private readonly string[] _services;

    public ListenLinker(IEnumerable<string> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct().ToArray();
        var unknown = _services.Where(s => !Known.Contains(s)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown listen service(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", Known)}.", nameof(services));
    }

    public static ListenLinker Default { get; } = new(Known);

    public IReadOnlyList<string> Services => _services;

    public static bool IsKnown(string service) => Known.Contains(service.Trim().ToLowerInvariant());

    /// <summary>The track's links, in the configured order of services.</summary>
    public IReadOnlyList<ListenLink> For(Track track)
    {
        ArgumentNullException.ThrowIfNull(track);
        return For(track.Artist, track.Title, track.PageUrl, track.SpotifyId);
    }

    public IReadOnlyList<ListenLink> For(string artist, string title, string? pageUrl = null, string? spotifyId = null)
    {
        var spotifyPage = SpotifyTrackUrl(spotifyId);
        var links = new List<ListenLink>(_services.Length);
        var query = Uri.EscapeDataString($"{Cut(artist)} {Cut(title)}");
        foreach (var service in _services)
        {
            links.Add(service switch
            {
                LastFm => new ListenLink(LastFm, "Last.fm", pageUrl ?? LastFmTrackUrl(artist, title)),
                Spotify => new ListenLink(Spotify, "Spotify", spotifyPage ?? $"https://open.spotify.com/search/{query}"),
                YouTubeMusic => new ListenLink(YouTubeMusic, "YouTube Music", $"https://music.youtube.com/search?q={query}"),
                _ => new ListenLink(AppleMusic, "Apple Music", $"https://music.apple.com/us/search?term={query}"),
            });
        }
        return links;
    }

    /// <summary>Last.fm's page for a track: /music/ARTIST/_/TITLE, each part form-encoded (a space as '+', "AC/DC" as "AC%2FDC").</summary>
    public static string LastFmTrackUrl(string artist, string title) =>
        $"https://www.last.fm/music/{LastFmPart(artist)}/_/{LastFmPart(title)}";

    /// <summary>
    /// The page a Last.fm provider id names ("cher/_/believe", the unescaped path of the page the provider
    /// gave); null for an id that is not such a path (a MusicBrainz id).
    /// </summary>
    public static string? LastFmPageOf(string? providerId)
    {
        if (providerId is null) return null;
        var split = providerId.IndexOf("/_/", StringComparison.Ordinal);
        if (split <= 0 || split + 3 >= providerId.Length) return null;
        return LastFmTrackUrl(providerId[..split], providerId[(split + 3)..]);
    }

    /// <summary>
    /// Spotify's page for a track id ("https://open.spotify.com/track/ID"); null for anything that is not a
    /// Spotify id (22 base-62 characters), so a stray value can never shape the address.
    /// </summary>
    public static string? SpotifyTrackUrl(string? spotifyId) =>
        spotifyId is { Length: 22 } && spotifyId.All(char.IsAsciiLetterOrDigit) ? "https://open.spotify.com/track/" + spotifyId : null;

    private static string LastFmPart(string name) => Uri.EscapeDataString(name.Trim()).Replace("%20", "+", StringComparison.Ordinal);

    private static string Cut(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= MaxQueryPart ? trimmed : trimmed[..MaxQueryPart];
    }
}
