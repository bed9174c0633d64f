using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace SpotMirror.Http;

/// <summary>Marks an endpoint that changes stored data, so the API-key rule applies to it.</summary>
public sealed class RequiresApiKey
{
    public static RequiresApiKey Instance { get; } = new();
}

/// <summary>
/// POST /feedback's own body limit: a full batch of events is larger than the server's limit for every other body.
/// Routing hands it to the server before the body is read, so a larger body is still refused with a 413.
/// </summary>
public sealed class BatchBodyLimit : IRequestSizeLimitMetadata
{
    public const long MaxBytes = 1024 * 1024;

    public long? MaxRequestBodySize => MaxBytes;
}

/// <summary>The routes, with what the OpenAPI document says about each.</summary>
public static class ApiEndpoints
{
    private const string TopHelp = "How many tracks, 1 to 50 (default 10).";
    private const string UserHelp = "Who asks: any name a client uses for a person. Unknown users get the list anyone would get, never an error.";

    public static void Map(IEndpointRouteBuilder app)
    {
        var lists = app.MapGroup("").WithTags("Recommendations");

        lists.MapGet("/recommend/mood", (
                [FromQuery, Description("A named mood (happy, sad, chill, energetic, angry, romantic, melancholic, party, focus), a synonym, free words (rainy sunday) or an emoji.")] string? mood,
                [FromQuery, Description(TopHelp)] string? top,
                [FromQuery, Description(UserHelp)] string? user,
                ApiHandlers api, CancellationToken cancellationToken) => api.MoodAsync(mood, top, user, cancellationToken))
            .WithName("RecommendMood")
            .Requires("mood")
            .WithSummary("Tracks for a mood")
            .WithDescription("Tracks that fit the mood, personalised by the user's feedback when the user is known; for anyone else, the mood's tracks ordered by fit and popularity. An unknown mood is a 400 that lists the moods.")
            .Produces<TrackList>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        lists.MapGet("/recommend/similar", (
                [FromQuery, Description("A track id, \"Title - Artist\", a title or an artist's name.")] string? song,
                [FromQuery, Description(TopHelp)] string? top,
                ApiHandlers api) => api.Similar(song, top))
            .WithName("RecommendSimilar")
            .Requires("song")
            .WithSummary("Tracks like a track or an artist")
            .WithDescription("Content similarity (TF-IDF over tags, artist and title words) to the seed. A song the catalogue does not know is a 404 with the closest names, never a random answer.")
            .Produces<TrackList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        lists.MapGet("/recommend/collaborative", (
                [FromQuery, Description("Whose likes to start from. An unknown user, or one nobody shares a like with, gets the popular tracks.")] string? user,
                [FromQuery, Description(TopHelp)] string? top,
                ApiHandlers api, CancellationToken cancellationToken) => api.CollaborativeAsync(user, top, cancellationToken))
            .WithName("RecommendCollaborative")
            .Requires("user")
            .WithSummary("Tracks that listeners like you liked")
            .WithDescription("User-based collaborative filtering alone: cosine similarity to the 50 nearest listeners, with the same filters (hidden, already rated) and no artist twice.")
            .Produces<TrackList>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        lists.MapGet("/recommend", (
                [FromQuery, Description(UserHelp)] string? user,
                [FromQuery, Description(TopHelp)] string? top,
                ApiHandlers api, CancellationToken cancellationToken) => api.RecommendAsync(user, top, cancellationToken))
            .WithName("Recommend")
            .WithSummary("A personal list (the hybrid)")
            .WithDescription("Every engine blended as the chat's /recommend does: the learned model, content similarity to what the user liked, and the configured weights. Without a known user: the popular tracks.")
            .Produces<TrackList>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        lists.MapGet("/recommend/group", (
                [FromQuery, Description("The members, separated by commas (1 to 20): users=ana,ben,cy. Unknown users take part with no history.")] string? users,
                [FromQuery, Description("A mood for the whole group (optional), as for /recommend/mood.")] string? mood,
                [FromQuery, Description(TopHelp)] string? top,
                [FromQuery, Description("fair (proportional fairness, the default), average, misery, nomisery or product.")] string? strategy,
                ApiHandlers api, CancellationToken cancellationToken) => api.GroupAsync(users, mood, top, strategy, cancellationToken))
            .WithName("RecommendGroup")
            .Requires("users")
            .WithSummary("A group playlist")
            .WithDescription("The chat's /group playlist for named users: each member's own top 50 tracks make the pool, each member's predicted scores over that pool are aggregated by the strategy, and the answer says how well the list suits each member.")
            .Produces<GroupTrackList>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        lists.MapGet("/popular", (
                [FromQuery, Description("Only tracks with this tag (a genre like rock or jazz, or a mood word). Optional.")] string? tag,
                [FromQuery, Description(TopHelp)] string? top,
                ApiHandlers api) => api.Popular(tag, top))
            .WithName("Popular")
            .WithSummary("The most popular tracks")
            .WithDescription("Popularity is ln(1 + listeners) + ln(1 + plays) + ln(1 + local likers), divided by the catalogue's maximum. An unknown tag is a 404.")
            .Produces<TrackList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var users = app.MapGroup("/users/{user}").WithTags("Users");

        users.MapPost("/feedback", (
                [Description("The user giving feedback; created on first feedback.")] string user,
                [FromBody] FeedbackRequest body,
                [FromHeader(Name = "Idempotency-Key"), Description("Optional. A request repeated with the same key counts once.")] string? idempotencyKey,
                ApiHandlers api, CancellationToken cancellationToken) => api.FeedbackAsync(user, body, idempotencyKey, cancellationToken))
            .WithName("PostFeedback")
            .WithSummary("Feedback on one track")
            .WithDescription("The same as a chat reaction on that one track: full weight (like 1, love 2, dislike -2, skip -0.5), and a dislike hides the track. It changes the user's next recommendation at once. remove: true takes it back exactly. Needs the X-Api-Key header when Http:ApiKey is set; refused when the API listens beyond loopback without one.")
            .Accepts<FeedbackRequest>("application/json")
            .Produces<FeedbackReceipt>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(RequiresApiKey.Instance);

        app.MapPost("/feedback", (
                [FromBody] FeedbackBatchItem[] body,
                ApiHandlers api, CancellationToken cancellationToken) => api.FeedbackBatchAsync(body, cancellationToken))
            .WithTags("Users")
            .WithName("PostFeedbackBatch")
            .WithSummary("Many feedback events at once")
            .WithDescription($"A JSON array of 1 to {ApiHandlers.MaxFeedbackBatch} events, each {{user, trackId or track, signal, remove, idempotencyKey}}, applied in one transaction with one commit. Each event means exactly what it would at POST /users/{{user}}/feedback (its idempotencyKey as that endpoint's Idempotency-Key header). The answer, after the commit, has one result per event in the order sent: a receipt, or the problem that event alone would have got (400, 404, 409); a bad event does not stop the others. An empty array is a 400; more than {ApiHandlers.MaxFeedbackBatch} events a 413. Needs the API key under the same rule as feedback.")
            .Accepts<FeedbackBatchItem[]>("application/json")
            .Produces<FeedbackBatchReceipt>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithMetadata(RequiresApiKey.Instance, new BatchBodyLimit());

        users.MapGet("/profile", (
                [Description("The user.")] string user,
                ApiHandlers api, CancellationToken cancellationToken) => api.ProfileAsync(user, cancellationToken))
            .WithName("GetProfile")
            .WithSummary("A user's taste as learned")
            .WithDescription("Top artists, tags and moods from the user's positive scores, and how many tracks they liked or hid. A user who never gave feedback is a 404 (and is not created).")
            .Produces<UserProfile>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        app.MapDelete("/users/{user}", (
                [Description("The user to forget.")] string user,
                ApiHandlers api, CancellationToken cancellationToken) => api.ForgetAsync(user, cancellationToken))
            .WithTags("Users")
            .WithName("ForgetUser")
            .WithSummary("Forget a user")
            .WithDescription("Deletes everything stored about the user: feedback, learned preferences, the user row. Needs the API key under the same rule as feedback.")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(RequiresApiKey.Instance);

        app.MapGet("/health", (ApiHandlers api) => api.Health())
            .WithTags("Service")
            .WithName("Health")
            .WithSummary("Ready or not")
            .WithDescription("200 once migrations are applied, the catalogue index is built and preferences are loaded; 503 before that. HEAD answers the same status without a body; any other method is a 405.")
            .Produces<HealthReport>()
            .Produces<HealthReport>(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed);

        // Load balancers and uptime checks probe with HEAD: the same status, no body.
        app.MapMethods("/health", [HttpMethods.Head], (ApiHandlers api) => api.Health()).ExcludeFromDescription();

        app.MapGet("/health/live", Readiness.Live)
            .WithTags("Service")
            .WithName("Live")
            .WithSummary("The process answers")
            .WithDescription("200 while the process serves requests at all; restarting it is the cure only when this fails. HEAD answers the same status without a body; any other method is a 405.")
            .Produces<LivenessReport>()
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed);

        app.MapGet("/health/ready", (Readiness readiness, CancellationToken cancellationToken) => readiness.ReadyAsync(cancellationToken))
            .WithTags("Service")
            .WithName("Ready")
            .WithSummary("Ready to take traffic")
            .WithDescription("200 when the storage is reachable and writable, the catalogue is loaded and each configured bot is connected; 503 with each check's answer otherwise. HEAD answers the same status without a body; any other method is a 405.")
            .Produces<ReadinessReport>()
            .Produces<ReadinessReport>(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed);

        // Probes from load balancers often use HEAD: the same status, no body.
        app.MapMethods("/health/live", [HttpMethods.Head], Readiness.Live).ExcludeFromDescription();
        app.MapMethods("/health/ready", [HttpMethods.Head], (Readiness readiness, CancellationToken cancellationToken) => readiness.ReadyAsync(cancellationToken))
            .ExcludeFromDescription();
    }
}
