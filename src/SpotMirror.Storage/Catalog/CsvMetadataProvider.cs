using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;

namespace SpotMirror.Storage.Catalog;

/// <summary>
/// The CSV importer's file as a metadata provider: the same port Last.fm implements, answered from the rows
/// of one file (see <see cref="TrackCsv"/> for the columns). Provider ids are the normalised "artist|title".
/// A file knows no people, so it has no user taste to offer.
/// </summary>
public sealed class CsvMetadataProvider : IMetadataProvider
{
    public const string ProviderName = "csv";

    private readonly List<ProviderTrack> _tracks;
    private readonly Dictionary<string, ProviderTrack> _byId;

    public CsvMetadataProvider(IReadOnlyList<TrackInput> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _tracks = rows
            .Select(r => new ProviderTrack(ProviderName, IdOf(r.Artist, r.Title), r.Title, r.Artist, r.Tags, r.Listeners, r.Playcount))
            .DistinctBy(t => t.ProviderId, StringComparer.Ordinal)
            .ToList();
        _byId = _tracks.ToDictionary(t => t.ProviderId!, StringComparer.Ordinal);
    }

    /// <summary>Reads the file; rows the importer would reject are left out and returned as problems.</summary>
    public static (CsvMetadataProvider Provider, IReadOnlyList<CsvProblem> Problems) Open(TextReader reader)
    {
        var (tracks, problems) = TrackCsv.Read(reader);
        return (new CsvMetadataProvider(tracks), problems);
    }

    public string Name => ProviderName;

    public string DisplayName => "CSV file";

    public MetadataCapabilities Capabilities =>
        MetadataCapabilities.Search | MetadataCapabilities.TrackInfo | MetadataCapabilities.TagTopTracks | MetadataCapabilities.SimilarTracks;

    public int Count => _tracks.Count;

    /// <summary>Tracks whose title or artist holds every word of the query, most listened first.</summary>
    public Task<IReadOnlyList<ProviderTrack>> SearchTracksAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var words = Text.Tokens(query);
        IReadOnlyList<ProviderTrack> found = words.Length == 0
            ? []
            : _tracks.Where(t => words.All(w => Text.Tokens(t.Title + " " + t.Artist).Contains(w, StringComparer.Ordinal)))
                .OrderByDescending(t => t.Listeners ?? 0).Take(limit).ToList();
        return Task.FromResult(found);
    }

    public Task<ProviderTrack?> TrackInfoAsync(TrackRef track, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        var id = track.ProviderId ?? IdOf(track.Artist, track.Title);
        return Task.FromResult(_byId.GetValueOrDefault(id) ?? _byId.GetValueOrDefault(IdOf(track.Artist, track.Title)));
    }

    /// <summary>Tracks carrying the tag, strongest first, then most listened.</summary>
    public Task<IReadOnlyList<ProviderTrack>> TagTopTracksAsync(string tag, int limit, CancellationToken cancellationToken)
    {
        var wanted = tag.Trim().ToLowerInvariant();
        IReadOnlyList<ProviderTrack> found = _tracks
            .Select(t => (Track: t, Weight: t.Tags.Where(w => w.Tag == wanted).Select(w => w.Weight).DefaultIfEmpty(-1).Max()))
            .Where(x => x.Weight >= 0)
            .OrderByDescending(x => x.Weight).ThenByDescending(x => x.Track.Listeners ?? 0)
            .Select(x => x.Track).Take(limit).ToList();
        return Task.FromResult(found);
    }

    /// <summary>Tracks sharing the most tag weight with the given one (weighted Jaccard over tags), as Match.</summary>
    public Task<IReadOnlyList<ProviderTrack>> SimilarTracksAsync(TrackRef track, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(track);
        var seed = _byId.GetValueOrDefault(track.ProviderId ?? IdOf(track.Artist, track.Title));
        if (seed is null) return Task.FromResult<IReadOnlyList<ProviderTrack>>([]);
        var seedTags = seed.Tags.ToDictionary(t => t.Tag, t => t.Weight, StringComparer.Ordinal);
        IReadOnlyList<ProviderTrack> similar = _tracks
            .Where(t => t.ProviderId != seed.ProviderId)
            .Select(t => t with { Match = WeightedJaccard(seedTags, t.Tags) })
            .Where(t => t.Match > 0)
            .OrderByDescending(t => t.Match).ThenBy(t => t.ProviderId, StringComparer.Ordinal)
            .Take(limit).ToList();
        return Task.FromResult(similar);
    }

    public Task<IReadOnlyList<ProviderTrack>> UserTopTracksAsync(string account, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProviderTrack>>([]);

    public Task<IReadOnlyList<ProviderTrack>> UserLovedTracksAsync(string account, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ProviderTrack>>([]);

    public static string IdOf(string artist, string title) => $"{Text.Normalize(artist)}|{Text.Normalize(title)}";

    private static double WeightedJaccard(Dictionary<string, float> a, IReadOnlyList<TagWeight> b)
    {
        double shared = 0, union = a.Values.Sum();
        foreach (var tag in b)
        {
            if (a.TryGetValue(tag.Tag, out var weight))
            {
                shared += Math.Min(weight, tag.Weight);
                union += Math.Max(0, tag.Weight - weight);
            }
            else
            {
                union += tag.Weight;
            }
        }
        return union <= 0 ? 0 : shared / union;
    }
}
