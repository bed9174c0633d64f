using System.Globalization;
using SpotMirror.Core.Group;
using SpotMirror.Core.Ports;
using SpotMirror.UseCases;

namespace SpotMirror.Chat;

/// <summary>
/// Group playlists: /group opens a lobby, people join with 🎧 (or a Join button), and /group go (or the
/// lobby timer) makes one list from everyone's predicted taste, fairly: the default strategy is the one
/// `eval group` measured best for the worst-off member. Replies name whom each track is mostly for and
/// how well the list suits each member, never anyone's individual ratings.
/// </summary>
public sealed partial class ChatService
{
    /// <summary>The reaction (and button) that means "count me in".</summary>
    public const string JoinEmoji = "🎧";

    public const GroupStrategy DefaultGroupStrategy = GroupPlaylistUseCase.DefaultStrategy;

    /// <summary>The mood names, then their synonyms: what a platform offers as completions for a mood.</summary>
    public IReadOnlyList<string> MoodNames => recommend.MoodNames;

    /// <summary>Lobbies whose time is up on this platform, made into playlists: what the adapter sends to each chat.</summary>
    public async Task<IReadOnlyList<(GroupSession Session, Reply Reply)>> CloseDueGroupsAsync(IUnitOfWork unit, string platform, CancellationToken cancellationToken)
    {
        var made = new List<(GroupSession, Reply)>();
        foreach (var session in await groups.DueAsync(platform, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            if (await MakePlaylistAsync(unit, session, caller: null, cancellationToken).ConfigureAwait(false) is { } reply) made.Add((session, reply));
        }
        return made;
    }

    private async Task<Reply> GroupAsync(IUnitOfWork unit, CommandInvoked invoked, long userId, GroupCommand command, CancellationToken cancellationToken)
    {
        if (command.Go)
        {
            var open = await groups.FindOpenAsync(invoked.Platform, invoked.ChatId, cancellationToken).ConfigureAwait(false);
            if (open is null) return Reply.Problem("No group playlist is gathering here. Start one with /group (or /group chill), let people join with 🎧, then /group go.");
            return await MakePlaylistAsync(unit, open, new GroupMember(userId, invoked.User.DisplayName, invoked.At, null), cancellationToken).ConfigureAwait(false)
                ?? Reply.Problem("That group playlist was just made; look above.");
        }

        var strategy = DefaultGroupStrategy;
        if (command.Strategy is { } name && !GroupPlaylistUseCase.TryParseStrategy(name, out strategy))
        {
            return Reply.Problem($"I don't know the strategy \"{Truncate(name)}\". Try fair (the default), average, misery, nomisery or product.");
        }
        string? moodLabel = null;
        if (command.Mood is { } mood)
        {
            var resolution = recommend.ResolveMood(mood);
            if (resolution.Target is not { } target)
            {
                var didYouMean = resolution.Suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", resolution.Suggestions)}?" : "";
                return Reply.Problem($"I don't know the mood \"{Truncate(mood)}\".{didYouMean}", $"Moods: {string.Join(", ", recommend.NamedMoods)}.");
            }
            moodLabel = target.Label;
        }

        var now = clock.GetUtcNow();
        var session = await groups.OpenAsync(unit, invoked.Platform, invoked.ChatId, userId, command.Mood, command.Count, strategy.ToString(),
            now, now.AddSeconds(options.GroupLobbySeconds), cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            var gathering = await groups.FindOpenAsync(invoked.Platform, invoked.ChatId, cancellationToken).ConfigureAwait(false);
            var count = gathering is null ? 0 : (await groups.MembersAsync(gathering.Id, cancellationToken).ConfigureAwait(false)).Count;
            return Reply.Problem($"A group playlist is already gathering here ({count} in). React {JoinEmoji} on it to join, or say /group go.");
        }

        var what = moodLabel is null ? "Group playlist" : $"Group playlist ({moodLabel})";
        return new Reply(ReplyKind.Lobby, $"{JoinEmoji} {what}: who's in?",
            [
                $"React {JoinEmoji} (or press Join) to join. Say /group go when everyone's in, or I'll start by myself in {options.GroupLobbySeconds} s.",
                $"In so far: {invoked.User.DisplayName}.",
            ], [])
        {
            GroupSessionId = session.Id,
            Context = $"lobby:{session.Id}",
        };
    }

    /// <summary>🎧 on a lobby (or its Join button): join; taking it off (or pressing again): leave.</summary>
    private async Task<Reply?> JoinOrLeaveAsync(IUnitOfWork unit, ChatEvent feedback, string messageId, bool added, bool toggle, CancellationToken cancellationToken)
    {
        var session = await groups.FindByLobbyAsync(feedback.Platform, feedback.ChatId, messageId, cancellationToken).ConfigureAwait(false);
        if (session is null) return toggle ? Reply.Problem("That group playlist is gone; start a new one with /group.") : null;
        if (!session.Open) return toggle || added ? Reply.Problem("That group playlist is made already; start a new one with /group.") : null;

        var userId = await users.ResolveAsync(unit, feedback.User, cancellationToken).ConfigureAwait(false);
        var members = await groups.MembersAsync(session.Id, cancellationToken).ConfigureAwait(false);
        var join = toggle ? members.All(m => m.UserId != userId) : added;
        var changed = join
            ? await groups.JoinAsync(unit, session.Id, userId, clock.GetUtcNow(), cancellationToken).ConfigureAwait(false)
            : await groups.LeaveAsync(unit, session.Id, userId, cancellationToken).ConfigureAwait(false);
        if (!changed) return null;
        var count = members.Count + (join ? 1 : -1);
        return Reply.Receipt(join
            ? $"{feedback.User.DisplayName} is in: {count} so far."
            : $"{feedback.User.DisplayName} is out: {count} left.");
    }

    /// <summary>The group playlist use case closes the lobby; this renders what it made. Null when another path closed it first.</summary>
    private async Task<Reply?> MakePlaylistAsync(IUnitOfWork unit, GroupSession session, GroupMember? caller, CancellationToken cancellationToken)
    {
        var made = await playlists.MakeAsync(unit, session, caller, cancellationToken).ConfigureAwait(false);
        switch (made.Status)
        {
            case GroupPlaylistStatus.AlreadyClosed:
                return null;
            case GroupPlaylistStatus.Nobody:
                return Reply.Problem("Nobody stayed in the group playlist, so I made none. Start a new one with /group.");
            case GroupPlaylistStatus.NothingFits:
                return Reply.Problem("I found nothing that fits this group right now. Try another mood with /group.");
        }

        var (members, list, previous) = (made.Members, made.List, made.Previous);
        var catalog = recommend.Catalog;
        var chances = made.Pool.Scores.Select(GroupAggregator.BordaChance).ToList();
        var lines = new List<TrackLine>();
        foreach (var item in list.Items)
        {
            if (!catalog.TryGetItem(made.Pool.Tracks[item], out var index)) continue;
            var track = catalog[index];
            lines.Add(new TrackLine(lines.Count + 1, track.Id, track.Title, track.Artist, MostlyFor(members, chances, item)) { Links = _links.For(track) });
        }

        var names = NameList(members.Select(m => m.DisplayName).ToList());
        var title = made.Mood is not { } mood ? $"{JoinEmoji} Group playlist for {names}:" : $"{JoinEmoji} Group playlist ({mood.Label}) for {names}:";
        var notes = new List<string>
        {
            "How well it suits each of you: " + string.Join(", ", members.Select((m, i) =>
                string.Create(CultureInfo.InvariantCulture, $"{m.DisplayName} {Math.Round(list.Satisfaction[i] * 100):0}%"))) + ".",
        };
        var served = members.Where(m => previous.ContainsKey(m.UserId)).ToList();
        if (members.Count > 1 && served.Count > 0 && made.Strategy == GroupStrategy.ProportionalFairness)
        {
            var worst = served.MinBy(m => previous[m.UserId])!;
            if (previous[worst.UserId] < served.Max(m => previous[m.UserId])) notes.Add($"{worst.DisplayName} came off worst last time, so {worst.DisplayName} is served first.");
        }
        return new Reply(ReplyKind.Tracks, title, notes, lines) { Context = $"group:{session.Id}", RequestedBy = caller?.UserId ?? session.CreatedBy };
    }

    /// <summary>
    /// Whom a track is mostly for: the members for whom it ranks high in their own view of the pool (Borda
    /// chances, since raw scores do not compare across people), within a quarter of its keenest member.
    /// Names only: no member's score is ever shown.
    /// </summary>
    private static string MostlyFor(IReadOnlyList<GroupMember> members, List<double[]> chances, int item)
    {
        if (members.Count == 1) return $"for {members[0].DisplayName}";
        var top = chances.Max(c => c[item]);
        if (top <= 0) return "a pick for the whole group";
        var keen = members.Where((_, i) => chances[i][item] >= 0.75 * top).Select(m => m.DisplayName).ToList();
        return keen.Count == members.Count ? "for everyone" : $"mostly for {NameList(keen)}";
    }

    /// <summary>"Ana", "Ana and Ben", "Ana, Ben and Cleo", "Ana, Ben and 3 others".</summary>
    private static string NameList(List<string> names) => names.Count switch
    {
        0 => "nobody",
        1 => names[0],
        2 => $"{names[0]} and {names[1]}",
        3 => $"{names[0]}, {names[1]} and {names[2]}",
        _ => $"{names[0]}, {names[1]} and {names.Count - 2} others",
    };
}
