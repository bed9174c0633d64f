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
        // Every service's link under every track when the list fits one message; else only the title's link,
        // else only the ▶ buttons, so a long list stays one message whose keyboard covers all of it.
        var lines = Lines(reply, serviceLinks: true, titleLinks: true);
        if (lines.Sum(l => l.Html.Length + 1) > MessageLimit) lines = Lines(reply, serviceLinks: false, titleLinks: true);
        if (lines.Sum(l => l.Html.Length + 1) > MessageLimit) lines = Lines(reply, serviceLinks: false, titleLinks: false);

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
        var keyboard = reply.AcceptsFeedback || reply.Buttons.Count > 0 ? Keyboard(reply)
            : reply.Kind == ReplyKind.Lobby ? new InlineKeyboardMarkup(InlineKeyboardButton.WithCallbackData("🎧 Join", FeedbackButtons.JoinData))
            : null;
        chunks.Add(new TelegramChunk(html.ToString(), plain.ToString(), keyboard));
        return chunks;
    }

    private static List<(string Html, string Plain)> Lines(Reply reply, bool serviceLinks, bool titleLinks)
    {
        var lines = new List<(string Html, string Plain)>();
        var title = reply.Kind == ReplyKind.Problem ? $"🤔 {reply.Title}" : reply.Title;
        lines.Add(($"<b>{Escape(Clip(title))}</b>", Clip(title)));
        // A picker's lines are its buttons' labels: the buttons say them already.
        if (reply.Buttons.Count == 0 || reply.AcceptsFeedback)
        {
            foreach (var line in reply.Lines) lines.Add((Escape(Clip(line)), Clip(line)));
        }
        foreach (var track in reply.Tracks)
        {
            var head = Clip($"{track.Number}. {track.Title} — {track.Artist}");
            var reason = Clip(track.Reason);
            var name = $"<b>{Escape(Clip(track.Title))}</b>";
            if (titleLinks && track.Page is { } page && TelegramLinks.IsUsable(page.Url)) name = $"<a href=\"{Escape(page.Url)}\">{name}</a>";
            var html = $"{track.Number}. {name} — {Escape(Clip(track.Artist))}\n    <i>{Escape(reason)}</i>";
            var plain = $"{head}\n    {reason}";
            var services = track.Links.Where(l => l != track.Page && TelegramLinks.IsUsable(l.Url)).ToList();
            if (serviceLinks && services.Count > 0)
            {
                html += "\n    ▶ " + string.Join(" · ", services.Select(l => $"<a href=\"{Escape(l.Url)}\">{Escape(l.Label)}</a>"));
                plain += "\n    ▶ " + string.Join(" · ", services.Select(l => l.Label));
            }
            lines.Add((html, plain));
        }
        if (reply.AcceptsFeedback) lines.Add(("<i>Tap ❤️ 👍 👎 under a track to teach me your taste, ▶ to play it.</i>", "Tap ❤️ 👍 👎 under a track to teach me your taste, ▶ to play it."));
        return lines;
    }

    /// <summary>
    /// A row per track: ❤️ N, 👍 N, 👎 N and ▶ N (a URL button to play it); then the reply's own buttons
    /// (More; a picker's moods, three to a row). Ten tracks make 41 buttons, far inside Telegram's 100.
    /// </summary>
    public static InlineKeyboardMarkup Keyboard(Reply reply)
    {
        var rows = new List<InlineKeyboardButton[]>();
        foreach (var track in reply.Tracks)
        {
            var row = FeedbackButtons.Kinds
                .Select(kind => InlineKeyboardButton.WithCallbackData($"{kind.Emoji} {track.Number}", FeedbackButtons.Data(kind.Code, track.Number, track.TrackId)))
                .ToList();
            if (track.Play is { } play && TelegramLinks.IsUsable(play.Url)) row.Add(InlineKeyboardButton.WithUrl($"▶ {track.Number}", play.Url));
            rows.Add([.. row]);
        }
        var actions = reply.Buttons.Where(b => ReplyActions.Fits(b.Action))
            .Select(b => InlineKeyboardButton.WithCallbackData(b.Label, b.Action));
        rows.AddRange(actions.Chunk(reply.AcceptsFeedback ? TelegramLinks.MaxPerRow : 3));
        return new InlineKeyboardMarkup(rows);
    }

    /// <summary>Telegram's HTML mode needs exactly these three escaped (core.telegram.org/bots/api#html-style).</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Clip(string text) => text.Length <= LineLimit ? text : string.Concat(text.AsSpan(0, LineLimit - 1), "…");
}
