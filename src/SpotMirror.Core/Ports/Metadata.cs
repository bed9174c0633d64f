using SpotMirror.Core.Catalog;

namespace SpotMirror.Core.Ports;

/// <summary>The parts of the metadata port a provider can answer; a call outside them returns nothing.</summary>
[Flags]
public enum MetadataCapabilities
{
    None = 0,
    Search = 1,
    TrackInfo = 2,
    TagTopTracks = 4,
    SimilarTracks = 8,
    /// <summary>A person's top and loved tracks on the provider (what /link imports).</summary>
    UserTaste = 16,
}

/// <summary>A track to look up: by the provider's own id when known, else by artist and title.</summary>
public sealed record TrackRef(string Artist, string Title, string? ProviderId = null);

/// <summary>
/// A track as a metadata provider describes it. Provider and ProviderId name it in that provider's terms,
/// and are kept on the catalogue track so the same track from another provider can be matched later.
/// Counts are null when the provider did not say; Tags are weighted 0-100 (100: the track's top tag);
/// Match is how similar it is (0-1) in an answer to a similar-tracks question.
/// </summary>
public sealed record ProviderTrack(
    string Provider,
    string? ProviderId,
    string Title,
    string Artist,
    IReadOnlyList<TagWeight> Tags,
    long? Listeners = null,
    long? Playcount = null,
    double? Match = null)
{
    /// <summary>The year of the release it appeared on, when the provider says.</summary>
    public int? Year { get; init; }

    /// <summary>The recording's ISRC, when the provider gives one: the surest way to know two providers mean one recording.</summary>
    public string? Isrc { get; init; }

    /// <summary>The provider's own 0-100 popularity (Spotify's), when it has one instead of listener counts.</summary>
    public int? Popularity { get; init; }

    /// <summary>The track's page at the provider (Spotify's open.spotify.com link), kept beside its id.</summary>
    public string? Url { get; init; }

    /// <summary>True when Tags describe the artist rather than the track (Spotify's genres): they only tag a track no other provider has tagged.</summary>
    public bool TagsFillOnly { get; init; }

    public TrackInput ToInput() => new(Title, Artist, Tags, Year, Listeners, Playcount, Provider, ProviderId)
    {
        Isrc = Isrc,
        Popularity = Popularity,
        ProviderUrl = Url,
        TagsFillOnly = TagsFillOnly,
    };
}

/// <summary>
/// Where catalogue metadata comes from (Last.fm, a CSV file; Spotify or ListenBrainz later). Lists come back
/// most relevant first. A failure a caller must tell apart is a <see cref="MetadataException"/>.
/// </summary>
public interface IMetadataProvider
{
    /// <summary>The short name kept with every track it supplies ("lastfm", "csv").</summary>
    string Name { get; }

    /// <summary>The name people know it by ("Last.fm").</summary>
    string DisplayName { get; }

    MetadataCapabilities Capabilities { get; }

    Task<IReadOnlyList<ProviderTrack>> SearchTracksAsync(string query, int limit, CancellationToken cancellationToken);

    /// <summary>The track with its listeners, play count and top tags; null when the provider does not know it.</summary>
    Task<ProviderTrack?> TrackInfoAsync(TrackRef track, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProviderTrack>> TagTopTracksAsync(string tag, int limit, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProviderTrack>> SimilarTracksAsync(TrackRef track, int limit, CancellationToken cancellationToken);

    /// <summary>A person's most played tracks there; <see cref="MetadataFailure.NotFound"/> when there is no such account.</summary>
    Task<IReadOnlyList<ProviderTrack>> UserTopTracksAsync(string account, int limit, CancellationToken cancellationToken);

    /// <summary>The tracks a person marked as loved there; <see cref="MetadataFailure.NotFound"/> when there is no such account.</summary>
    Task<IReadOnlyList<ProviderTrack>> UserLovedTracksAsync(string account, int limit, CancellationToken cancellationToken);
}

public enum MetadataFailure
{
    /// <summary>The provider needs setting up first (an API key); the message says how.</summary>
    NotConfigured,
    /// <summary>The provider rejected our credentials: retrying cannot help, so everything stops.</summary>
    InvalidCredentials,
    /// <summary>No such track or account.</summary>
    NotFound,
    /// <summary>The provider did not answer properly even after retries (rate limit, outage, timeouts).</summary>
    Unavailable,
    /// <summary>The provider refused this one request for a reason retrying will not change.</summary>
    Refused,
}

/// <summary>A provider failure with its kind; the message is fit to show a person and never holds a secret.</summary>
public sealed class MetadataException : Exception
{
    public MetadataException()
    {
    }

    public MetadataException(string message)
        : base(message)
    {
    }

    public MetadataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MetadataException(MetadataFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public MetadataFailure Failure { get; } = MetadataFailure.Unavailable;

    /// <summary>True when no further call can succeed until someone changes the configuration.</summary>
    public bool StopsEverything => Failure is MetadataFailure.NotConfigured or MetadataFailure.InvalidCredentials;
}

/// <summary>Provider answers kept for a while, so a repeated sync costs few calls. Keys never hold a secret.</summary>
public interface IResponseCache
{
    /// <summary>The stored answer when it has not expired by now; else null.</summary>
    Task<string?> GetAsync(string key, DateTimeOffset now, CancellationToken cancellationToken);

    Task PutAsync(string key, string body, DateTimeOffset now, DateTimeOffset expires, CancellationToken cancellationToken);
}

/// <summary>
/// A service whose account a person can link with /link ("lastfm", "Last.fm"). ThroughWeb: linked by authorizing
/// SpotMirror on the service's own page, reached through the web app, rather than by naming an account.
/// </summary>
public sealed record LinkableService(string Id, string DisplayName)
{
    public bool ThroughWeb { get; init; }

    /// <summary>True when a person means this service: "lastfm", "Last.fm" and "last fm" all name Last.fm.</summary>
    public bool IsNamed(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var wanted = Squash(name);
        return Squash(Id) == wanted || Squash(DisplayName) == wanted;
    }

    private static string Squash(string name) => Text.Normalize(name).Replace(" ", "", StringComparison.Ordinal);
}

public enum LinkStatus
{
    Linked,
    UnknownService,
    /// <summary>The service needs setting up by whoever runs the bot; Detail says how.</summary>
    NotConfigured,
    AccountNotFound,
    /// <summary>The account exists but has no top or loved tracks.</summary>
    NothingToImport,
    /// <summary>The service did not answer properly; Detail says what happened.</summary>
    Unavailable,
}

/// <summary>What /link did: how many top and loved tracks the account had and how many preferences were imported.</summary>
public sealed record LinkResult(
    LinkStatus Status,
    LinkableService? Service,
    string Account,
    int TopTracks = 0,
    int LovedTracks = 0,
    int Imported = 0,
    string? Detail = null);

/// <summary>An account a person linked, and how many preferences its import holds.</summary>
public sealed record LinkedAccount(LinkableService Service, string Account, int Imported, DateTimeOffset LinkedAt);

/// <summary>
/// Links a person's account on another service and imports their top and loved tracks there as initial
/// preferences, weighted below explicit reactions; unlinking removes exactly what the import added.
/// </summary>
public interface IAccountLinker
{
    IReadOnlyList<LinkableService> Services { get; }

    /// <summary>
    /// Fetches an account's taste ahead of LinkAsync, outside any transaction: an adapter calls it before it
    /// opens the batch that will link, so the batch (which holds the database's write lock) makes no network
    /// call. LinkAsync uses what was fetched if it is fresh, and fetches itself otherwise.
    /// </summary>
    Task PrefetchAsync(string service, string account, CancellationToken cancellationToken);

    /// <summary>Links (or re-links, replacing the previous import of that service) and imports, in the unit of work; memory follows its commit.</summary>
    Task<LinkResult> LinkAsync(IUnitOfWork unit, long userId, string service, string account, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Unlinks one service, or every one when service is null; returns what was unlinked.</summary>
    Task<IReadOnlyList<LinkedAccount>> UnlinkAsync(IUnitOfWork unit, long userId, string? service, DateTimeOffset at, CancellationToken cancellationToken);
}
