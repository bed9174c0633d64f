using SpotMirror.Core.Catalog;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Core.Ports;

/// <summary>A track to add or update, as an importer or a metadata provider supplies it.</summary>
public sealed record TrackInput(
    string Title,
    string Artist,
    IReadOnlyList<TagWeight> Tags,
    int? Year = null,
    long? Listeners = null,
    long? Playcount = null,
    string? Provider = null,
    string? ProviderId = null)
{
    /// <summary>The recording's ISRC; two inputs with the same ISRC are one track, two with different ones are not.</summary>
    public string? Isrc { get; init; }

    /// <summary>A provider's 0-100 popularity (Spotify's); see <see cref="Catalog.PopularityScale"/> for how it meets listener counts.</summary>
    public int? Popularity { get; init; }

    /// <summary>The track's page at the provider, stored with its provider id.</summary>
    public string? ProviderUrl { get; init; }

    /// <summary>The tags only tag a track that has none from another provider (see <see cref="ProviderTrack.TagsFillOnly"/>).</summary>
    public bool TagsFillOnly { get; init; }
}

public sealed record CatalogStats(long Tracks, long Artists, long Tags, long Users, long Preferences, long FeedbackEvents);

public sealed record ImportResult(int Added, int Updated, int Skipped);

/// <summary>The catalog as stored.</summary>
public interface ICatalogStore
{
    Task<IReadOnlyList<Track>> LoadAsync(CancellationToken cancellationToken);
    Task<ImportResult> UpsertAsync(IReadOnlyList<TrackInput> tracks, CancellationToken cancellationToken);

    /// <summary>Upserts in the unit of work and returns each input's catalogue id (null for a row skipped as blank).</summary>
    Task<(ImportResult Result, IReadOnlyList<long?> Ids)> UpsertAsync(IUnitOfWork unit, IReadOnlyList<TrackInput> tracks, CancellationToken cancellationToken);
    Task<CatalogStats> StatsAsync(CancellationToken cancellationToken);
}

/// <summary>A chat user on one platform.</summary>
public sealed record ChatUser(string Platform, string PlatformUserId, string DisplayName)
{
    /// <summary>The name as it may be shown (and stored): no control or bidi-override characters.</summary>
    public string DisplayName { get; } = PrintableText.Clean(DisplayName);
}

public interface IUserDirectory
{
    /// <summary>The internal id of a platform user, created on first sight; the display name kept current.</summary>
    Task<long> ResolveAsync(IUnitOfWork unit, ChatUser user, CancellationToken cancellationToken);

    /// <summary>The internal id of a platform user who exists, or null; creates nothing (a read-only lookup).</summary>
    Task<long?> FindAsync(string platform, string platformUserId, CancellationToken cancellationToken);

    /// <summary>Deletes the user and everything stored about them; true when there was such a user.</summary>
    Task<bool> ForgetAsync(IUnitOfWork unit, long userId, CancellationToken cancellationToken);
}

/// <summary>A reply the bot sent, as the ledger keeps it: which tracks, in which order, asked for by whom.</summary>
public sealed record SentMessage(
    string Platform,
    string ChatId,
    string MessageId,
    long? RequestedBy,
    string Context,
    IReadOnlyList<long> TrackIds,
    DateTimeOffset SentAt);

public interface IMessageLedger
{
    Task RecordAsync(IUnitOfWork unit, SentMessage message, CancellationToken cancellationToken);
    Task<SentMessage?> FindAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken);
}

/// <summary>
/// One reaction or button press turned into feedback: who, on which message, which emoji (and item),
/// added or removed, with the platform's event id and what it means per track. A Toggle (a button
/// press) adds the reaction when it is off and takes it back when it is on; Added is then ignored.
/// </summary>
public sealed record FeedbackCommand(
    string EventId,
    long UserId,
    string Platform,
    string ChatId,
    string MessageId,
    string Emoji,
    int? ItemIndex,
    bool Added,
    FeedbackSignal Signal,
    IReadOnlyList<TrackDelta> Deltas,
    DateTimeOffset At,
    bool Toggle = false);

/// <summary>What one feedback event does to one track: a score delta, and whether it hides the track.</summary>
public sealed record TrackDelta(long TrackId, double Delta, bool Hides);

public enum FeedbackOutcome
{
    /// <summary>The feedback changed preferences.</summary>
    Applied,
    /// <summary>This event id was seen before: nothing changed.</summary>
    Duplicate,
    /// <summary>The reaction was already on (or already off): logged, nothing changed.</summary>
    NoChange,
    /// <summary>This event id was seen before with a different meaning (another track, signal, direction or person): nothing changed.</summary>
    Conflict,
}

/// <summary>What applying feedback did; Added says whether the reaction ended up on (it tells a toggle's way).</summary>
public sealed record FeedbackResult(FeedbackOutcome Outcome, IReadOnlyList<PreferenceEntry> Changed, bool Added = true);

/// <summary>The preference table and its append-only feedback log.</summary>
public interface IPreferenceStore
{
    Task<IReadOnlyList<PreferenceEntry>> LoadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every preference, as <see cref="LoadAsync"/> gives it, handed to onChunk a chunk at a time (the chunk is
    /// reused: copy what you keep); returns how many. Stores that can stream rows override this.
    /// </summary>
    async Task<long> StreamAsync(Action<IReadOnlyList<PreferenceEntry>> onChunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChunk);
        var all = await LoadAsync(cancellationToken).ConfigureAwait(false);
        onChunk(all);
        return all.Count;
    }

    /// <summary>Applies one feedback event in the unit of work: logged once by event id, effects exactly once.</summary>
    Task<FeedbackResult> ApplyAsync(IUnitOfWork unit, FeedbackCommand command, CancellationToken cancellationToken);
}
