using Dapper;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Storage;
using SpotMirror.Testing;

namespace SpotMirror.Benchmarks;

/// <summary>
/// A temporary SQLite database with the schema, the starter catalogue and a few users, and a stream of
/// distinct feedback events to write into it: each is a new like on a new reply, so every call logs the
/// event, records the active reaction and upserts one preference row in its own transaction.
/// </summary>
public sealed class FeedbackWorkload : IDisposable
{
    public const int Users = 20;
    private const string Platform = "bench";

    private readonly TempDatabase _database;
    private readonly SqlPreferenceStore _store;
    private readonly long[] _users;
    private readonly long[] _tracks;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private long _next;

    private FeedbackWorkload(TempDatabase database, long[] users, long[] tracks)
    {
        _database = database;
        _store = new SqlPreferenceStore(database.Database, new PreferenceLearner(new LearningOptions()));
        _users = users;
        _tracks = tracks;
    }

    public static async Task<FeedbackWorkload> CreateAsync(CancellationToken cancellationToken)
    {
        var database = new TempDatabase();
        try
        {
            var (users, tracks) = await FeedbackSeed.CreateAsync(database.Database, Platform, Users, cancellationToken);
            return new FeedbackWorkload(database, users, tracks);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Writes one new feedback event (one transaction); throws if it was not applied.</summary>
    public async Task ApplyNextAsync(CancellationToken cancellationToken)
    {
        var n = _next++;
        var command = new FeedbackCommand(
            EventId: $"{_run}-{n}",
            UserId: _users[n % _users.Length],
            Platform: Platform,
            ChatId: "chat-1",
            MessageId: $"message-{n}",
            Emoji: "👍",
            ItemIndex: 1,
            Added: true,
            Signal: FeedbackSignal.Like,
            Deltas: [new TrackDelta(_tracks[(n * 7) % _tracks.Length], 1.0, false)],
            At: DateTimeOffset.UtcNow);
        var result = await _store.ApplyAsync(command, cancellationToken);
        if (result.Outcome != FeedbackOutcome.Applied)
        {
            throw new InvalidOperationException($"Feedback event {command.EventId} came back {result.Outcome}.");
        }
    }

    /// <summary>
    /// The baseline: the least a feedback write can cost here, one transaction holding only the
    /// feedback_events insert (no dedupe read, no active reaction, no preference upsert).
    /// </summary>
    public async Task InsertEventOnlyAsync(CancellationToken cancellationToken)
    {
        var n = _next++;
        var row = new { EventId = $"{_run}-bare-{n}", UserId = _users[n % _users.Length], Platform, MessageId = $"message-{n}", At = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() };
        await _database.Database.WriteAsync(
            (connection, transaction) => connection.ExecuteAsync(BareInsert, row, transaction), cancellationToken);
    }

    private const string BareInsert =
        "INSERT INTO feedback_events (event_id, user_id, platform, chat_id, message_id, emoji, item_index, action, signal, outcome, created_at) " +
        "VALUES (@EventId, @UserId, @Platform, 'chat-1', @MessageId, '👍', 1, 'add', 'like', 'applied', @At)";

    public void Dispose() => _database.Dispose();
}
