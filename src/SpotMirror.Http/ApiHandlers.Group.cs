using Microsoft.AspNetCore.Http;
using SpotMirror.Core.Group;
using SpotMirror.Core.Mood;
using SpotMirror.UseCases;

namespace SpotMirror.Http;

/// <summary>GET /recommend/group: the chat's group playlist (the group playlist use case's pool, member scores and strategies), for named users.</summary>
public sealed partial class ApiHandlers
{
    public const int MaxGroupMembers = 20;
    private const int MaxUsersText = MaxGroupMembers * (MaxTextLength + 1);

    public async Task<IResult> GroupAsync(string? users, string? mood, string? top, string? strategy, CancellationToken cancellationToken)
    {
        if (Blank(users)) return ApiProblems.Missing("users", "Name the group's members, separated by commas: users=ana,ben,cy.");
        if (users!.Length > MaxUsersText) return ApiProblems.TooLong("users", MaxUsersText);
        if (Top(top, out var count) is { } badTop) return badTop;
        var names = users.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count is 0 or > MaxGroupMembers) return ApiProblems.BadRequest("Bad group", $"A group has 1 to {MaxGroupMembers} members, separated by commas.");
        if (names.FirstOrDefault(n => n.Length > MaxTextLength) is not null) return ApiProblems.TooLong("user", MaxTextLength);

        MoodTarget? target = null;
        if (!Blank(mood))
        {
            if (mood!.Length > MaxTextLength) return ApiProblems.TooLong("mood", MaxTextLength);
            var resolution = _recommender.Moods.Resolve(mood);
            target = resolution.Target;
            if (target is null) return ApiProblems.UnknownMood(mood, resolution.Suggestions, MoodNames);
        }
        var chosen = GroupPlaylistUseCase.DefaultStrategy;
        if (!Blank(strategy) && !GroupPlaylistUseCase.TryParseStrategy(strategy!.Trim(), out chosen))
        {
            return ApiProblems.BadRequest("Unknown strategy", "Strategies: fair (the default), average, misery, nomisery or product.");
        }

        // Someone the service has never seen is a member it knows nothing about: a distinct id no user has.
        var ids = new List<long>(names.Count);
        var known = new List<bool>(names.Count);
        foreach (var name in names)
        {
            var id = await FindAsync(name, cancellationToken).ConfigureAwait(false);
            known.Add(id is not null);
            ids.Add(id ?? -(ids.Count + 1));
        }

        // No lobby and no last playlist to carry over: the API's group is stateless, so every member weighs the same.
        var pool = GroupPlaylistUseCase.Pool(_recommender, ids, target);
        var list = GroupPlaylistUseCase.Choose(pool, count, chosen);
        var made = pool.Tracks.Count > 0;
        var catalog = _recommender.Catalog;
        var tracks = new List<ApiTrack>();
        if (made)
        {
            var chances = pool.Scores.Select(GroupAggregator.BordaChance).ToList();
            foreach (var item in list.Items)
            {
                if (!catalog.TryGetItem(pool.Tracks[item], out var index)) continue;
                var track = catalog[index];
                var mean = pool.Scores.Average(s => s[item]);
                tracks.Add(new ApiTrack(tracks.Count + 1, track.Id, track.Title, track.Artist, MathF.Round((float)mean, 5), MostlyFor(names, chances, item),
                    track.Tags.OrderByDescending(t => t.Weight).Take(TagsShown).Select(t => t.Tag).ToList(), track.Year,
                    _links.For(track).Select(l => new ApiLink(l.Service, l.Label, l.Url)).ToList()));
            }
        }
        var members = names.Select((n, i) => new GroupMemberFit(n, known[i], made ? Math.Round(list.Satisfaction[i], 4) : 0)).ToList();
        return TypedResults.Ok(new GroupTrackList("group", members, target?.Label, chosen.ToString(), tracks));
    }

    /// <summary>Whom a track is mostly for: members for whom it ranks within a quarter of its keenest member's Borda chance.</summary>
    private static string MostlyFor(List<string> names, List<double[]> chances, int item)
    {
        if (names.Count == 1) return $"for {names[0]}";
        var top = chances.Max(c => c[item]);
        if (top <= 0) return "a pick for the whole group";
        var keen = names.Where((_, i) => chances[i][item] >= 0.75 * top).ToList();
        return keen.Count == names.Count ? "for everyone" : $"mostly for {string.Join(", ", keen)}";
    }
}
