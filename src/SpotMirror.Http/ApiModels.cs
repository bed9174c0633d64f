using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SpotMirror.Http;

/// <summary>One recommended track.</summary>
public sealed record ApiTrack(
    [property: Description("Position in the list, from 1.")] int Rank,
    [property: Description("The track id: use it for /recommend/similar?song= or in feedback.")] long Id,
    string Title,
    string Artist,
    [property: Description("The ranking score (engine-blended, comparable within one list only).")] float Score,
    [property: Description("Why this track: the one or two engines that contributed most.")] string Reason,
    [property: Description("The track's strongest tags, most relevant first.")] IReadOnlyList<string> Tags,
    int? Year,
    [property: Description("Where to play or read about the track: its Last.fm page and search pages of the configured services (Links:Services).")] IReadOnlyList<ApiLink> Links);

/// <summary>A place to play or read about a track.</summary>
public sealed record ApiLink(
    [property: Description("lastfm, spotify, youtube-music or apple-music.")] string Service,
    string Label,
    string Url);

/// <summary>A list of tracks and what it was asked for.</summary>
public sealed record TrackList(
    [property: Description("mood, similar, collaborative, recommend or popular.")] string Kind,
    [property: Description("The user the list was asked for, if any.")] string? User,
    [property: Description("Whether that user is known (has posted feedback): false means a list for anyone, never an error.")] bool? KnownUser,
    [property: Description("The mood as understood (a named mood, or the free text or emoji given).")] string? Mood,
    [property: Description("The track or artist the list is like.")] string? Seed,
    string? Tag,
    IReadOnlyList<ApiTrack> Tracks);

/// <summary>How well a group playlist suits one member.</summary>
public sealed record GroupMemberFit(
    string User,
    [property: Description("Whether the user is known (has posted feedback); an unknown member gets cold-start predictions.")] bool Known,
    [property: Description("How well the list suits this member, 0 to 1 (their best possible list of this length is 1).")] double Satisfaction);

/// <summary>A group playlist and whom it suits how well.</summary>
public sealed record GroupTrackList(
    [property: Description("group.")] string Kind,
    IReadOnlyList<GroupMemberFit> Members,
    [property: Description("The mood as understood, if one was asked for.")] string? Mood,
    [property: Description("The aggregation strategy used.")] string Strategy,
    [property: Description("Each track's score is the members' mean normalised prediction; its reason says whom it is mostly for.")] IReadOnlyList<ApiTrack> Tracks);

/// <summary>A name with its learned weight.</summary>
public sealed record WeightedName(string Name, double Weight);

/// <summary>A user's taste as learned from their feedback.</summary>
public sealed record UserProfile(
    string User,
    [property: Description("Tracks with a positive learned score.")] int Liked,
    [property: Description("Tracks hidden by a full-weight dislike.")] int Hidden,
    IReadOnlyList<WeightedName> Artists,
    IReadOnlyList<WeightedName> Tags,
    IReadOnlyList<WeightedName> Moods);

/// <summary>Feedback on one track, at full weight (as a reaction on one track of a chat reply).</summary>
public sealed record FeedbackRequest
{
    [Description("The track id. Give trackId or track, not both.")]
    public long? TrackId { get; init; }

    [Description("The track as \"Title - Artist\" or its exact title. Give trackId or track, not both.")]
    public string? Track { get; init; }

    [Description("like, love, dislike or skip; or an emoji: 👍 🔥 ❤️ 👎 ⏭️. A dislike hides the track from this user.")]
    public string? Signal { get; init; }

    [Description("true takes back earlier feedback with the same signal on this track, exactly.")]
    public bool Remove { get; init; }
}

/// <summary>What posting feedback did.</summary>
public sealed record FeedbackReceipt(
    string User,
    long TrackId,
    string Title,
    string Artist,
    [property: Description("like, love, dislike or skip.")] string Signal,
    string Emoji,
    [property: Description("add or remove.")] string Action,
    [property: Description("applied; duplicate (this Idempotency-Key was seen before); or no-change (that feedback was already on, or not on to remove).")] string Outcome,
    [property: Description("The score change the feedback carries (before any decay).")] double Weight,
    [property: Description("The user's learned score for the track now.")] double Score,
    [property: Description("Whether the track is now hidden from this user.")] bool Hidden);

/// <summary>One event of a POST /feedback batch: what POST /users/{user}/feedback takes, with the user and the Idempotency-Key inside.</summary>
public sealed record FeedbackBatchItem
{
    [Description("The user giving feedback; created on first feedback.")]
    public string? User { get; init; }

    [Description("The track id. Give trackId or track, not both.")]
    public long? TrackId { get; init; }

    [Description("The track as \"Title - Artist\" or its exact title. Give trackId or track, not both.")]
    public string? Track { get; init; }

    [Description("like, love, dislike or skip; or an emoji: 👍 🔥 ❤️ 👎 ⏭️.")]
    public string? Signal { get; init; }

    [Description("true takes back earlier feedback with the same signal on this track, exactly.")]
    public bool Remove { get; init; }

    [Description("Optional, as the Idempotency-Key header of a single event: an event repeated with the same key (in this batch, a later one, or a single POST) counts once.")]
    public string? IdempotencyKey { get; init; }
}

/// <summary>What one POST /feedback did: counts, and one result per event in the order sent.</summary>
public sealed record FeedbackBatchReceipt(
    int Applied,
    int Duplicate,
    int NoChange,
    [property: Description("Events that got a problem instead of a receipt; the others were applied all the same.")] int Refused,
    IReadOnlyList<FeedbackBatchResult> Results);

/// <summary>One event's answer: a receipt, or the problem it would have got alone.</summary>
public sealed record FeedbackBatchResult(
    [property: Description("The event's position in the batch, from 0.")] int Index,
    [property: Description("The status the event would have had alone: 200, or 400 (invalid), 404 (unknown track), 409 (Idempotency-Key reused).")] int Status,
    [property: Description("When Status is 200. Score and Hidden are as of the batch's commit.")] FeedbackReceipt? Receipt,
    FeedbackBatchProblem? Problem);

/// <summary>Why one event of a batch was not applied.</summary>
public sealed record FeedbackBatchProblem(int Status, string Title, string Detail);

/// <summary>Whether the service can answer.</summary>
public sealed record HealthReport(
    [property: Description("ready, or starting while migrations run and the index is built.")] string Status,
    int Tracks,
    int Users,
    [property: Description("The learned model: arrived (fitted or loaded), pending (start-up never waits for it; it is fitting or loading in the background), or off.")] string LearnedModel,
    [property: Description("Tracks in the learned (iALS) model; 0 until it arrives.")] int LearnedItems);

/// <summary>One of several tracks a name could mean, offered in a problem's candidates.</summary>
public sealed record TrackChoice(long TrackId, string Title, string Artist, string Name);

/// <summary>Compile-time JSON for the API's types (faster start and serialisation than reflection).</summary>
[JsonSerializable(typeof(TrackList))]
[JsonSerializable(typeof(TrackChoice[]))]
[JsonSerializable(typeof(GroupTrackList))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(FeedbackRequest))]
[JsonSerializable(typeof(FeedbackReceipt))]
[JsonSerializable(typeof(FeedbackBatchItem[]))]
[JsonSerializable(typeof(FeedbackBatchReceipt))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(LivenessReport))]
[JsonSerializable(typeof(ReadinessReport))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
