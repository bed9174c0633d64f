using System.Text.RegularExpressions;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests;

/// <summary>A script fed to the console chat and what it prints: in process, and through the real binary for a kill, a pipe and the exit code.</summary>
public sealed partial class ConsoleChatEndToEndTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [GeneratedRegex(@"^(\d+)\. (.+) - (.+)  \((.+)\)$")]
    private static partial Regex TrackLine();

    private static List<(string Title, string Artist)> Tracks(IEnumerable<string> lines) =>
        lines.Select(l => TrackLine().Match(l)).Where(m => m.Success).Select(m => (m.Groups[2].Value, m.Groups[3].Value)).ToList();

    [Fact]
    public async Task A_like_raises_that_artist_in_the_profile_and_a_second_run_over_the_same_database_remembers_it()
    {
        var first = await SpotMirrorCli.ChatAsync(_db.Path, "/mood chill 3", ":react ❤️ 2", "/profile");
        var liked = Tracks(first.Lines)[1];

        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"Noted: you love {liked.Title}.", first.Lines);
        Assert.Contains($"Artists: {liked.Artist}", first.Lines);

        var second = await SpotMirrorCli.ChatAsync(_db.Path, "/profile");

        Assert.Contains($"Artists: {liked.Artist}", second.Lines);
    }

    [Fact]
    public async Task A_dislike_on_one_track_hides_it_from_the_next_answers_in_this_process_and_the_next()
    {
        var first = await SpotMirrorCli.ChatAsync(_db.Path, "/mood chill 5", ":react 👎 1", "/mood chill 10", "/mood chill 10");
        var tracks = Tracks(first.Lines);
        var hidden = tracks[0];

        Assert.Contains(first.Lines, l => l.StartsWith($"Hidden: {hidden.Title}", StringComparison.Ordinal));
        Assert.Equal(25, tracks.Count);
        Assert.Single(tracks, t => t == hidden);

        var second = await SpotMirrorCli.ChatAsync(_db.Path, "/mood chill 10", "/mood chill 10", "/mood chill 10", "/profile");

        Assert.Equal(30, Tracks(second.Lines).Count);
        Assert.DoesNotContain(hidden, Tracks(second.Lines));
        Assert.Contains("0 track(s) liked, 1 hidden.", second.Lines);
    }

    [Fact]
    public async Task Acknowledged_feedback_survives_a_killed_process()
    {
        using (var process = SpotMirrorProcess.Start(["chat", "--db", _db.Path, "--user", "ana"]))
        {
            await process.StandardInput.WriteLineAsync("/mood party 3");
            await process.StandardInput.WriteLineAsync(":react ❤️ 1");
            await process.StandardInput.FlushAsync();
            string? line;
            var seen = new List<string>();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((line = await process.StandardOutput.ReadLineAsync(limit.Token)) is not null && !line.StartsWith("Noted", StringComparison.Ordinal))
            {
                seen.Add(line);
            }
            Assert.NotNull(line);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            var loved = Tracks(seen)[0];

            var after = await SpotMirrorCli.ChatAsync(_db.Path, "/profile");

            Assert.Contains($"Artists: {loved.Artist}", after.Lines);
        }
    }

    [Fact]
    public async Task A_name_with_terminal_escapes_is_echoed_without_them()
    {
        var result = await SpotMirrorProcess.ChatAsync(_db.Path, ":as \u001B[31mEve\u202E", "/group chill");

        Assert.Contains("(now speaking as Eve)", result.Lines);
        Assert.Contains("In so far: Eve.", result.Lines);
        Assert.DoesNotContain('\u001B', result.Output);
        Assert.DoesNotContain('\u202E', result.Output);
    }

    [Fact]
    public async Task Scripted_input_gets_no_prompt_and_end_of_input_exits_with_zero()
    {
        var result = await SpotMirrorProcess.ChatAsync(_db.Path, "/help");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("SpotMirror recommends music and learns from your reactions.", result.Lines[0]);
        Assert.DoesNotContain(result.Lines, l => l.Contains("ana>", StringComparison.Ordinal) || l.Contains('\u001b'));
    }

    [Fact]
    public async Task Console_lines_that_are_not_commands_get_hints()
    {
        var result = await SpotMirrorCli.ChatAsync(_db.Path, ":react 👍", "hello?", ":dance", ":react", ":as", "", "/mood happy 2", ":react 👍 9", ":unreact 👍");

        Assert.Equal(
            [
                "There's no list to react to yet: ask for one first, e.g. /mood chill (or open a group with /group).",
                "Commands start with a slash (try /help); :as NAME switches user; :react EMOJI [N] reacts to my last list.",
                "I don't know :dance. Console commands: :as NAME, :react EMOJI [N], :unreact EMOJI [N], :links N, and /more.",
                "Usage: :react EMOJI [N], e.g. :react 👍 or :react 👎 2.",
                "Usage: :as NAME (a name of 1 to 64 characters).",
            ],
            result.Lines.Take(5));
        Assert.Contains("That reply has tracks 1 to 2; there is no track 9.", result.Lines);
        Assert.Equal("(there was no such reaction to take back)", result.Lines[^1]);
    }

    [Fact]
    public async Task As_switches_the_speaking_user_so_two_people_share_one_console()
    {
        var result = await SpotMirrorCli.ChatAsync(_db.Path, "/mood energetic 2", ":react ❤️ 1", ":as ben", "/profile", ":as ana", "/profile");

        Assert.Contains("(now speaking as ben)", result.Lines);
        Assert.Contains("I don't know your taste yet.", result.Lines);
        Assert.Contains("1 track(s) liked, 0 hidden.", result.Lines);
    }

    [Theory]
    [InlineData("run")]
    [InlineData(null)]
    public async Task The_run_verb_and_no_verb_at_all_start_the_console_chat_without_a_bot_token_and_serve_on_after_its_input(string? verb)
    {
        using var service = Service.ServiceProcess.Start(new Dictionary<string, string?> { ["Storage__Path"] = _db.Path }, verb is null ? ["--db", _db.Path] : [verb]);
        await service.Input.WriteAsync("/mood happy 1\n");
        service.Input.Close();

        await service.WaitForOkAsync("/health/ready");
        await Eventually.WaitAsync(() => Task.FromResult(Tracks(service.Output.Split('\n')).Count), n => n > 0 || service.Process.HasExited,
            Service.ServiceProcess.StartPatience, n => $"no track line:\n{service.Output}");
        var servingOn = !service.Process.HasExited;

        Assert.Single(Tracks(service.Output.Split('\n')));
        Assert.True(servingOn, "run stopped at the end of its input");
        Assert.Equal(0, await service.TerminateAsync());
        Assert.True(File.Exists(_db.Path));
    }

    [Fact]
    public async Task Tracks_loved_together_by_others_are_offered_to_the_next_fan_for_that_reason()
    {
        // Three people love the same two jazz tracks; the learned model is fitted from their likes.
        var first = await SpotMirrorCli.ChatAsync(_db.Path, "/popular jazz 2",
            ":as amy", ":react ❤️ 1", ":react ❤️ 2", ":as bo", ":react ❤️ 1", ":react ❤️ 2", ":as cy", ":react ❤️ 1", ":react ❤️ 2");
        var pair = Tracks(first.Lines);

        var second = await SpotMirrorCli.ChatAsync(_db.Path, "/popular jazz 1", ":react ❤️ 1");
        var loved = Tracks(second.Lines)[0];
        var other = pair.Single(t => t != loved);
        var expected = $"1. {other.Title} - {other.Artist}  (often liked together with your favourites";

        // Start-up fits nothing: the model arrives in the background and is saved beside the database, so a run
        // may answer before it has; ask again (a bounded wait) until one answers with it.
        var top = await Eventually.WaitAsync(
            async () =>
            {
                var lines = (await SpotMirrorCli.ChatAsync(_db.Path, "/recommend 3")).Lines.ToList();
                return lines[lines.IndexOf("Picked for you:") + 1];
            },
            line => line.StartsWith(expected, StringComparison.Ordinal), TimeSpan.FromSeconds(60), line => line);
        Assert.StartsWith(expected, top, StringComparison.Ordinal);
    }
}
