namespace SpotMirror.Telegram;

/// <summary>
/// Telegram's flood limits, kept on our side so we rarely meet a 429: about one message a second per
/// chat, 20 a minute per group, about 30 a second overall (protocols.md 7); and a chat told to wait by
/// a 429 waits as long as it was told. Used by the single sender loop only, so not thread-safe.
/// Hand-written, not System.Threading.RateLimiting or Polly: a chat held by a 429 must not hold the others,
/// the loop asks "how long until chat X may send" rather than waiting for a permit, and the tests use a fake clock.
/// </summary>
public sealed class SendThrottle(TimeProvider clock, TimeSpan perChat, int groupPerMinute, int globalPerSecond)
{
    private readonly Dictionary<string, DateTimeOffset> _chatNext = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<DateTimeOffset>> _groupSent = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _globalSent = new();

    /// <summary>How long until a message to this chat may go; zero when it may go now.</summary>
    public TimeSpan Wait(string chatId, bool group)
    {
        var now = clock.GetUtcNow();
        var ready = now;
        if (_chatNext.TryGetValue(chatId, out var next) && next > ready) ready = next;
        if (group && _groupSent.TryGetValue(chatId, out var sent))
        {
            Trim(sent, now - TimeSpan.FromMinutes(1));
            if (sent.Count >= groupPerMinute) ready = Max(ready, sent.Peek() + TimeSpan.FromMinutes(1));
        }
        Trim(_globalSent, now - TimeSpan.FromSeconds(1));
        if (_globalSent.Count >= globalPerSecond) ready = Max(ready, _globalSent.Peek() + TimeSpan.FromSeconds(1));
        return ready - now;
    }

    /// <summary>A message to this chat just went out.</summary>
    public void Sent(string chatId, bool group)
    {
        var now = clock.GetUtcNow();
        _chatNext[chatId] = Max(_chatNext.GetValueOrDefault(chatId), now + perChat);
        if (group)
        {
            if (!_groupSent.TryGetValue(chatId, out var sent)) _groupSent[chatId] = sent = new Queue<DateTimeOffset>();
            sent.Enqueue(now);
        }
        _globalSent.Enqueue(now);
    }

    /// <summary>Telegram said "retry after": nothing more to this chat until then.</summary>
    public void Hold(string chatId, TimeSpan retryAfter)
    {
        var until = clock.GetUtcNow() + retryAfter;
        _chatNext[chatId] = Max(_chatNext.GetValueOrDefault(chatId), until);
    }

    private static void Trim(Queue<DateTimeOffset> sent, DateTimeOffset horizon)
    {
        while (sent.Count > 0 && sent.Peek() <= horizon) sent.Dequeue();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
