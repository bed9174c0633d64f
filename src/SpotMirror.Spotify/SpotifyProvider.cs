using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;

namespace SpotMirror.Spotify;

/// <summary>
/// Spotify as a metadata provider. A genre's top tracks are a genre:"…" track search, paged 50 at a time,
/// whose track objects already carry title, artists, album year, popularity and ISRC; the artists' genres
/// (the tags) come from /artists?ids=, 50 artists a call, and are remembered. Track info for a track a search
/// just listed is answered from that listing; any other track is one /tracks/{id} call.
/// </summary>
public sealed class SpotifyProvider(SpotifyClient client, SpotifyOptions options) : IMetadataProvider
{
    public const string ProviderName = "spotify";

    /// <summary>Spotify's largest search page, and its largest /artists batch.</summary>
    public const int PageSize = 50;

    /// <summary>Spotify serves search results up to this offset and no further.</summary>
    public const int MaxOffset = 1000;

    private const int MaxRemembered = 20_000;

    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _genres = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ProviderTrack> _listed = new(StringComparer.Ordinal);

    public string Name => ProviderName;

    public string DisplayName => "Spotify";

    public MetadataCapabilities Capabilities => MetadataCapabilities.Search | MetadataCapabilities.TrackInfo | MetadataCapabilities.TagTopTracks;

    public Task<IReadOnlyList<ProviderTrack>> SearchTracksAsync(string query, int limit, CancellationToken cancellationToken) =>
        SearchAsync(query, limit, cancellationToken);

    /// <summary>The genre's tracks, most popular first (Spotify's order for a genre filter), up to limit.</summary>
    public Task<IReadOnlyList<ProviderTrack>> TagTopTracksAsync(string tag, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return SearchAsync($"genre:\"{tag.Replace("\"", "", StringComparison.Ordinal)}\"", limit, cancellationToken);
    }

    public async Task<ProviderTrack?> TrackInfoAsync(TrackRef track, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.ProviderId is not { } id || !IsSpotifyId(id)) return await FindByNameAsync(track, cancellationToken).ConfigureAwait(false);
        if (_listed.TryGetValue(id, out var listed)) return listed;
        JsonElement item;
        try
        {
            item = await client.GetAsync("/tracks/" + id, Market(), cancellationToken).ConfigureAwait(false);
        }
        catch (MetadataException exception) when (exception.Failure == MetadataFailure.NotFound)
        {
            return null;
        }
        return (await ReadAsync([item], cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <summary>Spotify has no similar-tracks call open to new apps; the port's contract is an empty answer.</summary>
    public Task<IReadOnlyList<ProviderTrack>> SimilarTracksAsync(TrackRef track, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProviderTrack>>([]);

    /// <summary>A person's Spotify lists need their own sign-in (not an app token), so this provider does not offer them.</summary>
    public Task<IReadOnlyList<ProviderTrack>> UserTopTracksAsync(string account, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProviderTrack>>([]);

    public Task<IReadOnlyList<ProviderTrack>> UserLovedTracksAsync(string account, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProviderTrack>>([]);

    /// <summary>Spotify's ids are 22 base-62 characters; anything else is not sent to Spotify.</summary>
    public static bool IsSpotifyId(string id) => id is { Length: 22 } && id.All(char.IsAsciiLetterOrDigit);

    private async Task<IReadOnlyList<ProviderTrack>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var items = new List<JsonElement>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; items.Count < limit && offset <= MaxOffset;)
        {
            var size = Math.Min(PageSize, limit - items.Count);
            var root = await client.GetAsync("/search", [
                Pair("q", query), Pair("type", "track"), Pair("limit", Number(size)), Pair("offset", Number(offset)), .. Market()],
                cancellationToken).ConfigureAwait(false);
            var page = SpotifyJson.Child(root, "tracks");
            // A page may hold nulls (tracks withdrawn since indexing), and a track may reappear on the next page.
            var got = SpotifyJson.Array(page, "items").ToList();
            items.AddRange(got.Where(i => i.ValueKind == JsonValueKind.Object && SpotifyJson.Text(i, "id") is { } id && ids.Add(id)));
            if (got.Count == 0 || SpotifyJson.Child(page, "next").ValueKind != JsonValueKind.String) break;
            offset += got.Count;
        }
        var tracks = await ReadAsync(items, cancellationToken).ConfigureAwait(false);
        if (_listed.Count + tracks.Count > MaxRemembered) _listed.Clear();
        foreach (var track in tracks) _listed[track.ProviderId!] = track;
        return tracks.Take(limit).ToList();
    }

    /// <summary>Without a Spotify id: a track/artist search, and the first answer that is the same track by name.</summary>
    private async Task<ProviderTrack?> FindByNameAsync(TrackRef track, CancellationToken cancellationToken)
    {
        var query = $"track:\"{track.Title.Replace("\"", "", StringComparison.Ordinal)}\" artist:\"{track.Artist.Replace("\"", "", StringComparison.Ordinal)}\"";
        var wanted = TrackMatch.Key(track.Artist, track.Title);
        var found = await SearchAsync(query, 10, cancellationToken).ConfigureAwait(false);
        return found.FirstOrDefault(t => TrackMatch.Key(t.Artist, t.Title) == wanted);
    }

    /// <summary>Track objects as provider tracks, after fetching the genres of every artist not yet known, 50 a call.</summary>
    private async Task<List<ProviderTrack>> ReadAsync(IReadOnlyList<JsonElement> items, CancellationToken cancellationToken)
    {
        var unknown = items.SelectMany(SpotifyJson.ArtistIds).Where(id => IsSpotifyId(id) && !_genres.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var batch in unknown.Chunk(PageSize))
        {
            var root = await client.GetAsync("/artists", [Pair("ids", string.Join(',', batch))], cancellationToken).ConfigureAwait(false);
            foreach (var artist in SpotifyJson.Array(root, "artists").Where(a => a.ValueKind == JsonValueKind.Object))
            {
                if (SpotifyJson.Text(artist, "id") is { } id)
                {
                    _genres[id] = SpotifyJson.Array(artist, "genres").Where(g => g.ValueKind == JsonValueKind.String).Select(g => g.GetString()!).ToList();
                }
            }
            // An artist Spotify answered null for has no genres; remembering that saves asking again.
            foreach (var id in batch) _genres.TryAdd(id, []);
        }
        return items.Select(i => SpotifyJson.Track(i, id => _genres.GetValueOrDefault(id) ?? [])).OfType<ProviderTrack>().ToList();
    }

    private IReadOnlyList<KeyValuePair<string, string>> Market() =>
        string.IsNullOrWhiteSpace(options.Market) ? [] : [Pair("market", options.Market)];

    private static KeyValuePair<string, string> Pair(string name, string value) => KeyValuePair.Create(name, value);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
