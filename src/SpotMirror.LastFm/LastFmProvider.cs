using System.Globalization;
using System.Text.Json;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;

namespace SpotMirror.LastFm;

/// <summary>Last.fm as a metadata provider: each question of the port is one or two Last.fm methods, read through <see cref="LastFmJson"/>.</summary>
public sealed class LastFmProvider(LastFmClient client) : IMetadataProvider
{
    public const string ProviderName = "lastfm";

    public string Name => ProviderName;

    public string DisplayName => "Last.fm";

    public MetadataCapabilities Capabilities =>
        MetadataCapabilities.Search | MetadataCapabilities.TrackInfo | MetadataCapabilities.TagTopTracks
        | MetadataCapabilities.SimilarTracks | MetadataCapabilities.UserTaste;

    public async Task<IReadOnlyList<ProviderTrack>> SearchTracksAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var root = await client.CallAsync("track.search", [Pair("track", query), Limit(limit)], cacheable: true, cancellationToken).ConfigureAwait(false);
        var matches = LastFmJson.Child(LastFmJson.Child(root, "results"), "trackmatches");
        return Tracks(LastFmJson.Items(matches, "track"), limit, withCounts: true);
    }

    /// <summary>track.getInfo for listeners and play count, then track.getTopTags for weighted tags; null when Last.fm has no such track.</summary>
    public async Task<ProviderTrack?> TrackInfoAsync(TrackRef track, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        JsonElement info;
        try
        {
            var root = await client.CallAsync("track.getInfo", [Pair("artist", track.Artist), Pair("track", track.Title), Pair("autocorrect", "1")],
                cacheable: true, cancellationToken).ConfigureAwait(false);
            info = LastFmJson.Child(root, "track");
        }
        catch (MetadataException exception) when (exception.Failure == MetadataFailure.NotFound)
        {
            return null;
        }
        if (ToTrack(info, withCounts: true) is not { } found) return null;

        IReadOnlyList<TagWeight> tags;
        try
        {
            var root = await client.CallAsync("track.getTopTags", [Pair("artist", found.Artist), Pair("track", found.Title), Pair("autocorrect", "1")],
                cacheable: true, cancellationToken).ConfigureAwait(false);
            tags = LastFmJson.Tags(LastFmJson.Child(root, "toptags"));
        }
        catch (MetadataException exception) when (exception.Failure == MetadataFailure.NotFound)
        {
            tags = [];
        }
        // getInfo's own short tag list (names only) stands in when getTopTags has none.
        if (tags.Count == 0) tags = LastFmJson.Tags(LastFmJson.Child(info, "toptags"));
        return found with { Tags = tags };
    }

    public async Task<IReadOnlyList<ProviderTrack>> TagTopTracksAsync(string tag, int limit, CancellationToken cancellationToken)
    {
        var root = await client.CallAsync("tag.getTopTracks", [Pair("tag", tag), Limit(limit)], cacheable: true, cancellationToken).ConfigureAwait(false);
        return Tracks(LastFmJson.Items(LastFmJson.Child(root, "tracks"), "track"), limit, withCounts: false);
    }

    public async Task<IReadOnlyList<ProviderTrack>> SimilarTracksAsync(TrackRef track, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        try
        {
            var root = await client.CallAsync("track.getSimilar", [Pair("artist", track.Artist), Pair("track", track.Title), Limit(limit), Pair("autocorrect", "1")],
                cacheable: true, cancellationToken).ConfigureAwait(false);
            return LastFmJson.Items(LastFmJson.Child(root, "similartracks"), "track")
                .Select(item => ToTrack(item, withCounts: false) is { } t ? t with { Match = LastFmJson.Real(item, "match") } : null)
                .OfType<ProviderTrack>().Take(limit).ToList();
        }
        catch (MetadataException exception) when (exception.Failure == MetadataFailure.NotFound)
        {
            return [];
        }
    }

    public Task<IReadOnlyList<ProviderTrack>> UserTopTracksAsync(string account, int limit, CancellationToken cancellationToken) =>
        UserListAsync("user.getTopTracks", "toptracks", account, limit, [Pair("period", "overall")], cancellationToken);

    public Task<IReadOnlyList<ProviderTrack>> UserLovedTracksAsync(string account, int limit, CancellationToken cancellationToken) =>
        UserListAsync("user.getLovedTracks", "lovedtracks", account, limit, [], cancellationToken);

    /// <summary>A person's list; a user's own play counts are not the track's, so counts are left out.</summary>
    private async Task<IReadOnlyList<ProviderTrack>> UserListAsync(
        string method, string container, string account, int limit, IReadOnlyList<KeyValuePair<string, string>> extra, CancellationToken cancellationToken)
    {
        try
        {
            var root = await client.CallAsync(method, [Pair("user", account), Limit(limit), .. extra], cacheable: false, cancellationToken).ConfigureAwait(false);
            return Tracks(LastFmJson.Items(LastFmJson.Child(root, container), "track"), limit, withCounts: false);
        }
        catch (MetadataException exception) when (exception.Failure == MetadataFailure.NotFound)
        {
            throw new MetadataException(MetadataFailure.NotFound, $"Last.fm has no user called \"{account}\".", exception);
        }
    }

    private static List<ProviderTrack> Tracks(IEnumerable<JsonElement> items, int limit, bool withCounts) =>
        items.Select(item => ToTrack(item, withCounts)).OfType<ProviderTrack>().Take(limit).ToList();

    /// <summary>A track object of any Last.fm method; null when it lacks a name or an artist.</summary>
    private static ProviderTrack? ToTrack(JsonElement item, bool withCounts)
    {
        var title = LastFmJson.Text(item, "name");
        var artist = LastFmJson.Text(item, "artist");
        if (title is null || artist is null) return null;
        var id = LastFmJson.ProviderId(LastFmJson.Text(item, "url"), LastFmJson.Text(item, "mbid"));
        return new ProviderTrack(ProviderName, id, title, artist, [],
            withCounts ? LastFmJson.Count(item, "listeners") : null,
            withCounts ? LastFmJson.Count(item, "playcount") : null);
    }

    private static KeyValuePair<string, string> Pair(string name, string value) => KeyValuePair.Create(name, value);

    private static KeyValuePair<string, string> Limit(int limit) =>
        Pair("limit", Math.Clamp(limit, 1, 1000).ToString(CultureInfo.InvariantCulture));
}
