using Telegram.Bot.Types;

namespace SpotMirror.Telegram;

/// <summary>The command menu Telegram shows; the grammar itself is Chat's, shared with every platform.</summary>
public static class BotCommands
{
    public static readonly IReadOnlyList<BotCommand> All =
    [
        new("mood", "Tracks for a mood: /mood chill, /mood rainy sunday, /mood 😌"),
        new("similar", "Tracks like one you name: /similar Nightcall"),
        new("recommend", "Picks for you, from what you liked"),
        new("popular", "What is popular, optionally in a genre: /popular jazz"),
        new("group", "A playlist fair to everyone here: /group chill, join with 🎧, then /group go"),
        new("link", "Start from your Last.fm taste: /link lastfm USERNAME"),
        new("unlink", "Take back what /link imported"),
        new("profile", "What I have learned about your taste"),
        new("forget", "Forget everything about you (/forget yes)"),
        new("help", "How to use SpotMirror"),
    ];
}
