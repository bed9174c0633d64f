using Microsoft.Extensions.Logging.Abstractions;
using SpotMirror.Chat;
using SpotMirror.Core;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Ranking;
using SpotMirror.Storage;
using SpotMirror.UseCases;

namespace SpotMirror.Testing;

/// <summary>
/// The real Chat layer over a real SQLite file holding the starter catalog: say things as users,
/// react to the replies, and look at what was stored. What a platform adapter does, minus the wire.
/// </summary>
public sealed class ChatHarness : IDisposable
{
    public const string Platform = "test";
    public const string ChatId = "chat-1";
    private int _events;
    private int _messages;

    private ChatHarness(TempDatabase db, ChatService chat, Recommender recommender, ManualClock clock, IPreferenceStore store)
    {
        Db = db;
        Chat = chat;
        Recommender = recommender;
        Clock = clock;
        Store = store;
    }

    public TempDatabase Db { get; }
    public ChatService Chat { get; }
    public Recommender Recommender { get; }
    public ManualClock Clock { get; }
    public IPreferenceStore Store { get; }
    public string? LastMessageId { get; private set; }
    public Reply? LastList { get; private set; }

    /// <summary>Starts over the starter catalog; a different preference store may be slipped in (to script faults).</summary>
    public static async Task<ChatHarness> StartAsync(ChatOptions? options = null, Func<IPreferenceStore, IPreferenceStore>? wrapStore = null)
    {
        var db = new TempDatabase();
        var catalogStore = new SqlCatalogStore(db.Database);
        await new StorageInitializer(db.Database, catalogStore).InitializeAsync(seedStarterCatalog: true, CancellationToken.None);
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        var learner = new PreferenceLearner(new LearningOptions());
        var matrix = new PreferenceMatrix(learner, clock.GetUtcNow());
        var recommender = new Recommender(CatalogIndex.Build(await catalogStore.LoadAsync(CancellationToken.None)), matrix, new HybridOptions());
        IPreferenceStore store = new SqlPreferenceStore(db.Database, learner);
        matrix.Load(await store.LoadAsync(CancellationToken.None));
        if (wrapStore is not null) store = wrapStore(store);
        var users = new SqlUserDirectory(db.Database);
        var groups = new SqlGroupStore(db.Database);
        var chat = new ChatService(
            new RecommendUseCase(recommender, new HybridOptions()), new ProfileUseCase(recommender, clock), new GroupPlaylistUseCase(recommender, groups, clock),
            new FeedbackUseCase(learner, store, matrix), new ForgetUseCase(users, matrix),
            users, new SqlMessageLedger(db.Database), groups,
            options ?? new ChatOptions(), clock, NullLogger<ChatService>.Instance, pages: new SqlListPages(db.Database));
        return new ChatHarness(db, chat, recommender, clock, store);
    }

    public static ChatUser User(string name) => new(Platform, name.ToLowerInvariant(), name);

    /// <summary>Sends a command as the user; a track list is "sent" and recorded in the ledger like an adapter would.</summary>
    public async Task<Reply?> SayAsync(string user, string text)
    {
        var reply = await HandleAsync(new CommandInvoked(NextEventId(), Platform, ChatId, User(user), Clock.GetUtcNow(), text));
        if (reply is not null) await SendAsync(reply);
        return reply;
    }

    /// <summary>Lists and group lobbies are "sent": they get a message id and the ledger (or the lobby) learns it.</summary>
    public async Task SendAsync(Reply reply)
    {
        if (reply.AcceptsFeedback || reply.Kind == ReplyKind.Lobby)
        {
            LastMessageId = $"m{Interlocked.Increment(ref _messages)}";
            if (reply.AcceptsFeedback) LastList = reply;
            await Db.Alone(unit => Chat.RecordSentAsync(unit, Platform, ChatId, LastMessageId, reply, CancellationToken.None));
        }
    }

    public Task<Reply?> ReactAsync(string user, string emoji, int? item = null, bool added = true, string? messageId = null, string? eventId = null) =>
        HandleAsync(
            new ReactionChanged(eventId ?? NextEventId(), Platform, ChatId, User(user), Clock.GetUtcNow(), messageId ?? LastMessageId!, emoji, item, added));

    /// <summary>Presses a per-track feedback button under a reply (a toggle, as Telegram and Discord buttons are).</summary>
    public Task<Reply?> PressAsync(string user, string emoji, int item, string? messageId = null) =>
        HandleAsync(
            new ButtonPressed(NextEventId(), Platform, ChatId, User(user), Clock.GetUtcNow(), messageId ?? LastMessageId!, emoji, item));

    /// <summary>One event in a unit of work of its own, committed when handled, as the console adapter does it.</summary>
    public Task<Reply?> HandleAsync(ChatEvent chatEvent) => Db.Alone(unit => Chat.HandleAsync(chatEvent, unit, CancellationToken.None));

    /// <summary>Presses a reply button (a picked mood, More) under a message, as whoever presses it.</summary>
    public async Task<Reply?> PressActionAsync(string user, string action, string? messageId = null)
    {
        var reply = await HandleAsync(new ActionPressed(NextEventId(), Platform, ChatId, User(user), Clock.GetUtcNow(), messageId ?? LastMessageId!, action));
        if (reply is not null) await SendAsync(reply);
        return reply;
    }

    public async Task<long> UserIdAsync(string user) =>
        await new SqlUserDirectory(Db.Database).ResolveAsync(User(user), CancellationToken.None);

    private string NextEventId() => $"evt-{Interlocked.Increment(ref _events)}";

    public void Dispose()
    {
        Recommender.Preferences.Dispose();
        Db.Dispose();
    }
}
