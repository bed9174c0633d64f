using System.Text;
using SpotMirror.Chat;
using Telegram.Bot.Types.ReplyMarkups;

namespace SpotMirror.Telegram;

/// <summary>One Telegram message of a rendered reply: HTML text, and the keyboard on the last one.</summary>
public sealed record TelegramChunk(string Html, string Plain, InlineKeyboardMarkup? Keyboard);

/// <summary>
/// Renders a platform-neutral Reply as Telegram HTML (escaped), split into messages under Telegram's
/// 4096-character limit, with a row of feedback buttons per track under the last message.
/// </summary>
public static class TelegramRenderer
{
    /// <summary>Below Telegram's 4096, counted on the HTML source (never shorter than what Telegram counts).</summary>
    public const int MessageLimit = 4000;

    /// <summary>One line never runs longer than this, so a chunk always has room for it.</summary>
    private const int LineLimit = 1000;

    public static IReadOnlyList<TelegramChunk> Render(Reply reply)
    {
        var lines = new List<(string Html, string Plain)>();
        var title = reply.Kind == ReplyKind.Problem ? $"🤔 {reply.Title}" : reply.Title;
        lines.Add(($"<b>{Escape(Clip(title))}</b>", Clip(title)));
        foreach (var line in reply.Lines) lines.Add((Escape(Clip(line)), Clip(line)));
        foreach (var track in reply.Tracks)
        {
            var head = Clip($"{track.Number}. {track.Title} — {track.Artist}");
            var reason = Clip(track.Reason);
            lines.Add((
                $"{track.Number}. <b>{Escape(Clip(track.Title))}</b> — {Escape(Clip(track.Artist))}\n    <i>{Escape(reason)}</i>",
                $"{head}\n    {reason}"));
        }
        if (reply.AcceptsFeedback) lines.Add(("<i>Tap ❤️ 👍 👎 under a track to teach me your taste.</i>", "Tap ❤️ 👍 👎 under a track to teach me your taste."));

        var chunks = new List<TelegramChunk>();
        var html = new StringBuilder();
        var plain = new StringBuilder();
        foreach (var (lineHtml, linePlain) in lines)
        {
            if (html.Length > 0 && html.Length + 1 + lineHtml.Length > MessageLimit)
            {
                chunks.Add(new TelegramChunk(html.ToString(), plain.ToString(), null));
                html.Clear();
                plain.Clear();
            }
            if (html.Length > 0)
            {
                html.Append('\n');
                plain.Append('\n');
            }
            html.Append(lineHtml);
            plain.Append(linePlain);
        }
        var keyboard = reply.AcceptsFeedback ? Keyboard(reply)
            : reply.Kind == ReplyKind.Lobby ? new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("🎧 Join", FeedbackButtons.JoinData))
            : null;
        chunks.Add(new TelegramChunk(html.ToString(), plain.ToString(), keyboard));
        return chunks;
    }

    /// <summary>A row per track: ❤️ N, 👍 N, 👎 N.</summary>
    public static InlineKeyboardMarkup Keyboard(Reply reply) =>
        new(reply.Tracks.Select(track => FeedbackButtons.Kinds
            .Select(kind => InlineKeyboardButton.WithCallbackData($"{kind.Emoji} {track.Number}", FeedbackButtons.Data(kind.Code, track.Number)))
            .ToArray()));

    /// <summary>Telegram's HTML mode needs exactly these three escaped (core.telegram.org/bots/api#html-style).</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Clip(string text) => text.Length <= LineLimit ? text : string.Concat(text.AsSpan(0, LineLimit - 1), "…");
}
