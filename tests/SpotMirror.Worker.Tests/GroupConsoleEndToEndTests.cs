using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests;

/// <summary>/group end to end through the chat verb: three people share one console, join with 🎧 and get one fair playlist.</summary>
public sealed class GroupConsoleEndToEndTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Three_users_join_a_lobby_and_get_one_playlist_with_whom_each_track_is_for_and_everyones_satisfaction()
    {
        var result = await SpotMirrorCli.ChatAsync(_db.Path,
            "/mood chill 3", ":react ❤️ 1",
            ":as Ben", "/mood party 3", ":react ❤️ 1",
            ":as Cleo", "/mood sad 3", ":react ❤️ 1",
            ":as ana", "/group 6",
            ":as Ben", ":react 🎧",
            ":as Cleo", ":react 🎧",
            ":as ana", "/group go",
            ":react 👍 2",
            "/group go");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Lines.ToList();
        Assert.Contains("🎧 Group playlist: who's in?", lines);
        Assert.Contains("Ben is in: 2 so far.", lines);
        Assert.Contains("Cleo is in: 3 so far.", lines);
        var title = lines.IndexOf("🎧 Group playlist for ana, Ben and Cleo:");
        Assert.True(title >= 0, string.Join('\n', lines));
        Assert.StartsWith("How well it suits each of you: ana ", lines[title + 1], StringComparison.Ordinal);
        var tracks = lines.Skip(title + 2).TakeWhile(l => l.Length > 0 && char.IsDigit(l[0])).ToList();
        Assert.Equal(6, tracks.Count);
        Assert.All(tracks, t => Assert.Matches(@"\((for everyone|mostly for [A-Za-z, ]+|a pick for the whole group)\)$", t));
        Assert.Contains(lines, l => l.StartsWith("Noted: more like", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("No group playlist is gathering here", StringComparison.Ordinal));
    }
}
