using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Engines;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.UseCases;

using SpotMirror.Core.Service;

namespace SpotMirror.Http;

/// <summary>
/// What each endpoint does, over the same core the chat uses: the Recommender for lists, the user
/// directory and the preference store (through the same learner rules as a chat reaction) for feedback.
/// Read endpoints never create a user; an unknown user gets the list anyone would get.
/// </summary>
public sealed partial class ApiHandlers
{
    public const string Platform = "http";
    public const int MinTop = 1;
    public const int MaxTop = 50;
    public const int DefaultTop = 10;
    public const int MaxTextLength = 200;
    private const int TagsShown = 5;

    private readonly Recommender _recommender;
    private readonly RecommendUseCase _recommend;
    private readonly ProfileUseCase _profiles;
    private readonly IUserDirectory _users;
    private readonly ITransactions _transactions;
    private readonly FeedbackUseCase _feedback;
    private readonly ForgetUseCase _forget;
    private readonly TimeProvider _clock;
    private readonly Func<bool> _ready;
    private readonly ListenLinker _links;

    public ApiHandlers(
        Recommender recommender, RecommendUseCase recommend, ProfileUseCase profiles, IUserDirectory users, ITransactions transactions,
        FeedbackUseCase feedback, ForgetUseCase forget, TimeProvider clock, Func<bool> ready, ListenLinker? links = null)
    {
        _recommender = recommender;
        _recommend = recommend;
        _profiles = profiles;
        _users = users;
        _transactions = transactions;
        _feedback = feedback;
        _forget = forget;
        _clock = clock;
        _ready = ready;
        _links = links ?? ListenLinker.Default;
    }

    /// <summary>The handlers over the host's own singletons; ready once <paramref name="ready"/> says so.</summary>
    public static ApiHandlers Create(IServiceProvider services, Func<bool> ready)
    {
        return new ApiHandlers(
            services.GetRequiredService<Recommender>(), services.GetRequiredService<RecommendUseCase>(), services.GetRequiredService<ProfileUseCase>(),
            services.GetRequiredService<IUserDirectory>(), services.GetRequiredService<ITransactions>(),
            services.GetRequiredService<FeedbackUseCase>(), services.GetRequiredService<ForgetUseCase>(),
            services.GetRequiredService<TimeProvider>(), ready, services.GetService<ListenLinker>());
    }

    private IReadOnlyList<string> MoodNames => _recommend.NamedMoods;

    public async Task<IResult> MoodAsync(string? mood, string? top, string? user, CancellationToken cancellationToken)
    {
        if (RequiredText("mood", mood, $"Name a mood ({string.Join(", ", MoodNames)}), describe one in words (rainy sunday) or give an emoji (😌).") is { } missing) return missing;
        if (Top(top, out var count) is { } badTop) return badTop;
        if (OptionalUser(user) is { } badUser) return badUser;

        var userId = await FindAsync(user, cancellationToken).ConfigureAwait(false);
        var answer = _recommend.Mood(userId, mood!, count);
        if (answer.Target is not { } target) return ApiProblems.UnknownMood(mood!, answer.Suggestions, MoodNames);
        return TypedResults.Ok(new TrackList("mood", Blank(user) ? null : user, Blank(user) ? null : userId is not null, target.Label, null, null, Tracks(answer.Tracks)));
    }

    public IResult Similar(string? song, string? top)
    {
        if (RequiredText("song", song, "Give a track id, \"Title - Artist\", a title or an artist.") is { } missing) return missing;
        if (Top(top, out var count) is { } badTop) return badTop;

        var answer = _recommend.Similar(null, song!, count);
        if (answer.Seed is not { } seed) return ApiProblems.UnknownSong(song!, answer.Suggestions);
        return TypedResults.Ok(new TrackList("similar", null, null, null, seed.Label, null, Tracks(answer.Tracks)));
    }

    public async Task<IResult> CollaborativeAsync(string? user, string? top, CancellationToken cancellationToken)
    {
        if (RequiredText("user", user, "Collaborative filtering starts from someone's likes: give the user's name.") is { } missing) return missing;
        if (Top(top, out var count) is { } badTop) return badTop;

        var userId = await FindAsync(user, cancellationToken).ConfigureAwait(false);
        var list = _recommend.Collaborative(userId, count);
        return TypedResults.Ok(new TrackList("collaborative", user, userId is not null, null, null, null, Tracks(list)));
    }

    public async Task<IResult> RecommendAsync(string? user, string? top, CancellationToken cancellationToken)
    {
        if (Top(top, out var count) is { } badTop) return badTop;
        if (OptionalUser(user) is { } badUser) return badUser;

        var userId = await FindAsync(user, cancellationToken).ConfigureAwait(false);
        var list = _recommend.Personal(userId, count);
        return TypedResults.Ok(new TrackList("recommend", Blank(user) ? null : user, Blank(user) ? null : userId is not null, null, null, null, Tracks(list)));
    }

    public IResult Popular(string? tag, string? top)
    {
        if (Top(top, out var count) is { } badTop) return badTop;
        if (tag is { Length: > MaxTextLength }) return ApiProblems.TooLong("tag", MaxTextLength);
        var chosen = Blank(tag) ? null : tag!.Trim();
        var answer = _recommend.Popular(chosen, count);
        if (answer.UnknownTag) return ApiProblems.UnknownTag(chosen!);
        return TypedResults.Ok(new TrackList("popular", null, null, null, null, chosen, Tracks(answer.Tracks)));
    }

    public async Task<IResult> ProfileAsync(string user, CancellationToken cancellationToken)
    {
        if (RequiredText("user", user, "") is { } bad) return bad;
        if (await FindAsync(user, cancellationToken).ConfigureAwait(false) is not { } id) return ApiProblems.UnknownUser(user);

        var profile = _profiles.Of(id);
        return TypedResults.Ok(new UserProfile(user, profile.Liked, profile.Hidden, Weighted(profile.Artists), Weighted(profile.Tags), Weighted(profile.Moods)));

        static List<WeightedName> Weighted(IReadOnlyList<(string Name, double Weight)> names) =>
            names.Select(n => new WeightedName(n.Name, Math.Round(n.Weight, 4))).ToList();
    }

    public async Task<IResult> ForgetAsync(string user, CancellationToken cancellationToken)
    {
        if (RequiredText("user", user, "") is { } bad) return bad;
        if (await FindAsync(user, cancellationToken).ConfigureAwait(false) is not { } id) return ApiProblems.UnknownUser(user);

        await _transactions.RunAsync((unit, ct) => _forget.ForgetAsync(unit, id, ct), cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>/health/ready over this API's own notion of loaded, with the host's checks beside it.</summary>
    public Readiness Readiness(IReadOnlyList<IReadinessCheck> checks) => new(_ready, checks);

    public IResult Health()
    {
        var ready = _ready();
        var learned = _recommender.Learned.Arrived ? "arrived" : _recommend.LearnedOn ? "pending" : "off";
        var report = new HealthReport(ready ? "ready" : "starting", _recommender.Catalog.Count, _recommender.Preferences.UserCount, learned, _recommender.Learned.Model.ItemCount);
        return ready ? TypedResults.Ok(report) : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Looks a user up without creating one; null for no user given or one never seen.</summary>
    private async Task<long?> FindAsync(string? user, CancellationToken cancellationToken) =>
        Blank(user) ? null : await _users.FindAsync(Platform, user!, cancellationToken).ConfigureAwait(false);

    private List<ApiTrack> Tracks(IReadOnlyList<Recommendation> list) =>
        list.Select((r, i) => new ApiTrack(
            i + 1, r.Track.Id, r.Track.Title, r.Track.Artist, float.IsFinite(r.Score) ? MathF.Round(r.Score, 5) : 0, r.Reason,
            r.Track.Tags.OrderByDescending(t => t.Weight).Take(TagsShown).Select(t => t.Tag).ToList(), r.Track.Year,
            _links.For(r.Track).Select(l => new ApiLink(l.Service, l.Label, l.Url)).ToList())).ToList();

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    /// <summary>A required text parameter: a problem when it is missing or too long, else null.</summary>
    private static IResult? RequiredText(string parameter, string? value, string hint)
    {
        if (Blank(value)) return ApiProblems.Missing(parameter, hint);
        return value!.Length > MaxTextLength ? ApiProblems.TooLong(parameter, MaxTextLength) : null;
    }

    private static IResult? OptionalUser(string? user) =>
        user is { Length: > MaxTextLength } ? ApiProblems.TooLong("user", MaxTextLength) : null;

    /// <summary>top: absent (or empty) means the default; anything but a whole number in range is a problem that says the range.</summary>
    private static IResult? Top(string? raw, out int count)
    {
        count = DefaultTop;
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= MinTop and <= MaxTop) return null;
        count = DefaultTop;
        return ApiProblems.TopOutOfRange(raw);
    }
}
