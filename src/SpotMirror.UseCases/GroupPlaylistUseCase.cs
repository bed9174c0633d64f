using SpotMirror.Core;
using SpotMirror.Core.Group;
using SpotMirror.Core.Mood;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Ranking;

namespace SpotMirror.UseCases;

/// <summary>The shared candidate pool of a group (track ids) and each member's scores over it (divided by their best).</summary>
public sealed record GroupPool(IReadOnlyList<long> Tracks, IReadOnlyList<double[]> Scores);

public enum GroupPlaylistStatus
{
    Made,
    /// <summary>Nobody stayed in the lobby; it is closed empty.</summary>
    Nobody,
    /// <summary>No member had anything to offer (for the lobby's mood); it is closed empty.</summary>
    NothingFits,
    /// <summary>Another path closed the lobby first.</summary>
    AlreadyClosed,
}

/// <summary>A group playlist as made: who, for what mood, by which strategy, from which pool, and how well it suits each member.</summary>
public sealed record GroupPlaylist(
    GroupPlaylistStatus Status,
    IReadOnlyList<GroupMember> Members,
    MoodTarget? Mood,
    GroupStrategy Strategy,
    GroupPool Pool,
    GroupList List,
    IReadOnlyDictionary<long, double> Previous);

/// <summary>
/// Build a group playlist: each member's own top tracks (for the lobby's mood) make a shared pool, each member's
/// hybrid prediction scores every pool track, and the strategy picks, weighted toward whoever came off worst in
/// the chat's last group playlist. The same pool and scores serve the bot and `eval group`.
/// </summary>
public sealed class GroupPlaylistUseCase(Recommender recommender, IGroupStore groups, TimeProvider clock)
{
    /// <summary>Each member's own top tracks that make up the shared pool.</summary>
    public const int PoolPerMember = 50;

    /// <summary>The strategy `eval group` measured best for the worst-off member.</summary>
    public const GroupStrategy DefaultStrategy = GroupStrategy.ProportionalFairness;

    private static readonly GroupList NoList = new([], []);

    private static readonly Dictionary<string, GroupStrategy> StrategyNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fair"] = GroupStrategy.ProportionalFairness,
        ["fairness"] = GroupStrategy.ProportionalFairness,
        ["proportional"] = GroupStrategy.ProportionalFairness,
        ["average"] = GroupStrategy.Average,
        ["avg"] = GroupStrategy.Average,
        ["misery"] = GroupStrategy.LeastMisery,
        ["leastmisery"] = GroupStrategy.LeastMisery,
        ["nomisery"] = GroupStrategy.AverageWithoutMisery,
        ["averagewithoutmisery"] = GroupStrategy.AverageWithoutMisery,
        ["product"] = GroupStrategy.Multiplicative,
        ["multiplicative"] = GroupStrategy.Multiplicative,
    };

    /// <summary>The strategy a name (or a synonym) means, for every front end that lets people name one.</summary>
    public static bool TryParseStrategy(string name, out GroupStrategy strategy) => StrategyNames.TryGetValue(name, out strategy);

    /// <summary>
    /// The shared pool: each member's own top <see cref="PoolPerMember"/>, in turn, each track once, leaving out
    /// exclude (evaluation leaves out what any member listened to in training).
    /// </summary>
    public static GroupPool Pool(Recommender recommender, IReadOnlyList<long> members, MoodTarget? mood, IReadOnlySet<long>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(recommender);
        ArgumentNullException.ThrowIfNull(members);
        var own = members.Select(m => recommender.Recommend(new RecommendationRequest { UserId = m, Count = PoolPerMember, Mood = mood })).ToList();
        var pool = own.SelectMany(list => list.Select(r => r.Track.Id)).Where(id => exclude is null || !exclude.Contains(id)).Distinct().ToList();
        return new GroupPool(pool, members.Select((m, i) => MemberScores(recommender, m, pool, own[i])).ToList());
    }

    /// <summary>The strategy's list of size tracks from the pool (indices into its tracks), each member weighted.</summary>
    public static GroupList Choose(GroupPool pool, int size, GroupStrategy strategy, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.Tracks.Count == 0 ? NoList : GroupAggregator.Aggregate(pool.Scores, size, strategy, weights);
    }

    /// <summary>Whoever came off worst last time counts more now (weight 2 − satisfaction), so the fair strategy serves them first.</summary>
    public static IReadOnlyList<double> CarryOver(IEnumerable<long> members, IReadOnlyDictionary<long, double> previous) =>
        members.Select(m => previous.TryGetValue(m, out var s) ? 2 - Math.Clamp(s, 0, 1) : 1.0).ToList();

    /// <summary>
    /// Closes the lobby into a playlist, in the unit of work: whoever says go (caller) counts, joined or not;
    /// each member's satisfaction is stored with the closed session.
    /// </summary>
    public async Task<GroupPlaylist> MakeAsync(IUnitOfWork unit, GroupSession session, GroupMember? caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var members = (await groups.MembersAsync(session.Id, cancellationToken).ConfigureAwait(false)).ToList();
        if (caller is not null && members.All(m => m.UserId != caller.UserId))
        {
            // The join is not committed yet, so the caller is added here rather than read back.
            await groups.JoinAsync(unit, session.Id, caller.UserId, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            members.Add(caller);
        }
        var mood = session.Mood is { } text ? recommender.Moods.Resolve(text).Target : null;
        var strategy = Enum.TryParse<GroupStrategy>(session.Strategy, out var parsed) ? parsed : DefaultStrategy;
        var none = new Dictionary<long, double>();
        var empty = new GroupPool([], []);
        if (members.Count == 0)
        {
            await groups.CloseAsync(unit, session.Id, none, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return new GroupPlaylist(GroupPlaylistStatus.Nobody, members, mood, strategy, empty, NoList, none);
        }

        var previous = await groups.LastSatisfactionAsync(session.Platform, session.ChatId, cancellationToken).ConfigureAwait(false);
        var pool = Pool(recommender, members.Select(m => m.UserId).ToList(), mood);
        if (pool.Tracks.Count == 0)
        {
            await groups.CloseAsync(unit, session.Id, none, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return new GroupPlaylist(GroupPlaylistStatus.NothingFits, members, mood, strategy, pool, NoList, previous);
        }
        var list = Choose(pool, session.Size, strategy, CarryOver(members.Select(m => m.UserId), previous));
        var satisfaction = members.Select((m, i) => (m.UserId, list.Satisfaction[i])).ToDictionary(x => x.UserId, x => x.Item2);
        var closed = await groups.CloseAsync(unit, session.Id, satisfaction, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new GroupPlaylist(closed ? GroupPlaylistStatus.Made : GroupPlaylistStatus.AlreadyClosed, members, mood, strategy, pool, list, previous);
    }

    /// <summary>
    /// A member's predicted score for each pool track, divided by their best (negative as 0). A member the
    /// model knows nothing about yet ranks the pool by their own cold-start list (mood fit and popularity).
    /// </summary>
    private static double[] MemberScores(Recommender recommender, long userId, IReadOnlyList<long> pool, IReadOnlyList<Recommendation> ownList)
    {
        var predicted = recommender.Predict(userId, pool);
        var best = predicted.Length == 0 ? 0 : predicted.Max();
        if (best > 0) return predicted.Select(s => Math.Max(0, s / (double)best)).ToArray();
        var rank = ownList.Select((r, i) => (r.Track.Id, Score: 1.0 - ((double)i / Math.Max(1, ownList.Count)))).ToDictionary(x => x.Id, x => x.Score);
        return pool.Select(id => rank.GetValueOrDefault(id)).ToArray();
    }
}
