namespace SpotMirror.Core.Catalog;

/// <summary>A tag on a track with its strength (Last.fm's 0-100 scale: 100 is the track's top tag).</summary>
public readonly record struct TagWeight(string Tag, float Weight);

/// <summary>
/// One catalog track as Storage hands it to Core. PageUrl is the provider's own page for it, when one is known;
/// Popularity is a provider's 0-100 (Spotify's), see <see cref="PopularityScale"/>; SpotifyId is the track's id at
/// Spotify when a sync or an import met it there, so its Spotify link can be the track's own page.
/// </summary>
public sealed record Track(
    long Id,
    string Title,
    string Artist,
    int? Year,
    IReadOnlyList<TagWeight> Tags,
    long? Listeners = null,
    long? Playcount = null,
    string? PageUrl = null,
    int? Popularity = null,
    string? SpotifyId = null);
