using Telegram.Bot.Types;

namespace SpotMirror.Telegram;

/// <summary>The bot's own user as getMe answered at start: the webhook needs its username (commands) and id (checkpoint).</summary>
public sealed class TelegramIdentity
{
    private volatile User? _me;

    /// <summary>Null until getMe has answered.</summary>
    public User? Me => _me;

    public void Set(User me) => _me = me;
}
