using Microsoft.Extensions.Logging.Abstractions;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;
using SpotMirror.Storage.Sqlite;
using SpotMirror.Testing;
using SpotMirror.UseCases;

namespace SpotMirror.Chat.Tests;

/// <summary>/link and /unlink: the grammar, and the replies over Core's linking port (a scripted linker here).</summary>
public sealed class LinkCommandTests : IDisposable
{
    private static readonly LinkableService LastFm = new("lastfm", "Last.fm");
    private static readonly DateTimeOffset At = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempDatabase _db = new();
    private readonly ScriptedLinker _linker = new();
    private readonly PreferenceMatrix _matrix;

    public LinkCommandTests()
    {
        new Migrator(_db.Database).MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _matrix = new PreferenceMatrix(new PreferenceLearner(new LearningOptions()), At);
    }

    public void Dispose()
    {
        _matrix.Dispose();
        _db.Dispose();
    }

    [Theory]
    [InlineData("/link lastfm rj", "lastfm", "rj")]
    [InlineData("/link@SpotMirrorBot Last.fm  RJ ", "Last.fm", "RJ")]
    public void Link_takes_a_service_and_an_account(string text, string service, string account) =>
        Assert.Equal(new LinkCommand(service, account), CommandParser.Parse(text));

    [Theory]
    [InlineData("/unlink", null)]
    [InlineData("/unlink lastfm", "lastfm")]
    public void Unlink_takes_an_optional_service(string text, string? service) =>
        Assert.Equal(new UnlinkCommand(service), CommandParser.Parse(text));

    [Theory]
    [InlineData("/link", "Link which account?")]
    [InlineData("/link lastfm two words", "An account name is one word")]
    [InlineData("/unlink lastfm spotify", "/unlink takes at most a service")]
    public void Link_without_what_it_needs_says_what_would_work(string text, string start) =>
        Assert.StartsWith(start, Assert.IsType<InvalidCommand>(CommandParser.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void A_link_naming_only_a_service_leaves_the_account_to_the_linker() =>
        Assert.Equal(new LinkCommand("spotify", null), CommandParser.Parse("/link spotify"));

    [Fact]
    public async Task A_link_without_an_account_for_a_service_that_needs_one_asks_which_user()
    {
        var reply = await SayAsync("/link lastfm");

        Assert.Equal(ReplyKind.Problem, reply.Kind);
        Assert.StartsWith("Which lastfm user?", reply.Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/link spotify")]
    [InlineData("/link Spotify someone")]
    public async Task A_service_linked_through_the_web_is_never_linked_by_name_and_without_the_web_app_says_so(string text)
    {
        var reply = await SayAsync(text);

        Assert.Equal(ReplyKind.Problem, reply.Kind);
        Assert.Contains("goes through the web app", reply.Title, StringComparison.Ordinal);
        Assert.Null(reply.SignInFor);
        Assert.Empty(_linker.Links);
    }

    [Fact]
    public void An_over_long_account_name_is_refused()
    {
        var invalid = Assert.IsType<InvalidCommand>(CommandParser.Parse("/link lastfm " + new string('a', LinkCommands.MaxAccountLength + 1)));

        Assert.Contains("too long", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_goes_to_the_linker_with_the_speaker_and_the_time_and_the_reply_counts_the_import()
    {
        _linker.Next = new LinkResult(LinkStatus.Linked, LastFm, "rj", TopTracks: 3, LovedTracks: 2, Imported: 4);

        var reply = await SayAsync("/link lastfm rj");

        Assert.Equal(ReplyKind.Info, reply.Kind);
        Assert.Equal("Linked Last.fm user rj: 4 track(s) imported as a first guess at your taste (3 top, 2 loved).", reply.Title);
        var (user, service, account, at) = Assert.Single(_linker.Links);
        Assert.Equal(("lastfm", "rj", At), (service, account, at));
        Assert.Equal(reply.RequestedBy, user);
    }

    [Theory]
    [InlineData(LinkStatus.NotConfigured, "Linking Last.fm isn't set up on this SpotMirror yet.")]
    [InlineData(LinkStatus.AccountNotFound, "Last.fm has no user called \"rj\". Check the spelling and try again.")]
    [InlineData(LinkStatus.NothingToImport, "Last.fm user rj has no top or loved tracks yet, so there is nothing to import.")]
    [InlineData(LinkStatus.Unavailable, "Last.fm isn't answering properly right now, so nothing was imported. Please try again in a few minutes.")]
    public async Task Each_way_a_link_can_fail_gets_its_own_sentence(LinkStatus status, string title)
    {
        _linker.Next = new LinkResult(status, LastFm, "rj", Detail: "Set LastFm__ApiKey.");

        var reply = await SayAsync("/link lastfm rj");

        Assert.Equal(title, reply.Title);
        if (status == LinkStatus.NotConfigured) Assert.Equal(["Set LastFm__ApiKey."], reply.Lines);
    }

    [Fact]
    public async Task Unlinking_names_what_was_unlinked_and_says_when_there_was_nothing()
    {
        _linker.Unlinked = [new LinkedAccount(LastFm, "rj", 4, At)];
        var done = await SayAsync("/unlink");
        _linker.Unlinked = [];
        var nothing = await SayAsync("/unlink lastfm");

        Assert.Equal(["Unlinked Last.fm user rj: its 4 imported track(s) no longer count.", "Your reactions here stay as they were."], done.Lines);
        Assert.Equal("You have no linked lastfm account.", nothing.Title);
    }

    [Fact]
    public async Task Without_a_linker_link_says_it_is_not_available()
    {
        var reply = await SayAsync("/link lastfm rj", withLinker: false);

        Assert.Equal(ReplyKind.Problem, reply.Kind);
        Assert.Contains("isn't available here", reply.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_is_fetched_before_the_adapters_transaction_and_other_commands_fetch_nothing()
    {
        var chat = Chat(withLinker: true);

        await chat.PrepareAsync(new CommandInvoked("e1", "test", "chat", new ChatUser("test", "ana", "Ana"), At, "/link lastfm RJ"), CancellationToken.None);
        await chat.PrepareAsync(new CommandInvoked("e2", "test", "chat", new ChatUser("test", "ana", "Ana"), At, "/mood chill"), CancellationToken.None);

        Assert.Equal([("lastfm", "RJ")], _linker.Prefetched);
    }

    private async Task<Reply> SayAsync(string text, bool withLinker = true)
    {
        var chat = Chat(withLinker);
        var invoked = new CommandInvoked("e-" + Guid.NewGuid().ToString("N"), "test", "chat", new ChatUser("test", "ana", "Ana"), At, text);
        var reply = await _db.Alone(unit => chat.HandleAsync(invoked, unit, CancellationToken.None));
        return reply!;
    }

    private ChatService Chat(bool withLinker)
    {
        var learner = new PreferenceLearner(new LearningOptions());
        var users = new SqlUserDirectory(_db.Database);
        var recommender = new Recommender(CatalogIndex.Build([]), _matrix, new HybridOptions());
        var groups = new SqlGroupStore(_db.Database);
        return new ChatService(
            new RecommendUseCase(recommender, new HybridOptions()), new ProfileUseCase(recommender, TimeProvider.System),
            new GroupPlaylistUseCase(recommender, groups, TimeProvider.System),
            new FeedbackUseCase(learner, new SqlPreferenceStore(_db.Database, learner), _matrix), new ForgetUseCase(users, _matrix),
            users, new SqlMessageLedger(_db.Database), groups, new ChatOptions(), TimeProvider.System, NullLogger<ChatService>.Instance,
            withLinker ? _linker : null);
    }

    private sealed class ScriptedLinker : IAccountLinker
    {
        public LinkResult Next { get; set; } = new(LinkStatus.Unavailable, LastFm, "");

        public IReadOnlyList<LinkedAccount> Unlinked { get; set; } = [];

        public List<(long User, string Service, string Account, DateTimeOffset At)> Links { get; } = [];

        public IReadOnlyList<LinkableService> Services => [LastFm, new LinkableService("spotify", "Spotify") { ThroughWeb = true }];

        public List<(string Service, string Account)> Prefetched { get; } = [];

        public Task PrefetchAsync(string service, string account, CancellationToken cancellationToken)
        {
            Prefetched.Add((service, account));
            return Task.CompletedTask;
        }

        public Task<LinkResult> LinkAsync(IUnitOfWork unit, long userId, string service, string account, DateTimeOffset at, CancellationToken cancellationToken)
        {
            Links.Add((userId, service, account, at));
            return Task.FromResult(Next);
        }

        public Task<IReadOnlyList<LinkedAccount>> UnlinkAsync(IUnitOfWork unit, long userId, string? service, DateTimeOffset at, CancellationToken cancellationToken) =>
            Task.FromResult(Unlinked);
    }
}
