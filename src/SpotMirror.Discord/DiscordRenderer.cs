using System.Text;
using System.Text.Json.Nodes;
using SpotMirror.Chat;

namespace SpotMirror.Discord;

/// <summary>
/// Renders a platform-neutral Reply as a Discord message: a list as one embed (within Discord's limits)
/// with 👍/👎 buttons for each track, two tracks to a row; everything else as plain content. Mentions
/// are switched off, since titles and names are user-supplied text.
/// </summary>
public static class DiscordRenderer
{
    public const int ContentLimit = 2000;
    public const int TitleLimit = 256;
    public const int DescriptionLimit = 4096;
    public const int FooterLimit = 2048;

    /// <summary>The seed reactions put under every list, so reacting is one tap.</summary>
    public static readonly IReadOnlyList<string> SeedReactions = ["👍", "❤️", "👎"];

    /// <summary>The Join button under a group lobby.</summary>
    public const string JoinCustomId = "grp:join";

    public static JsonObject Render(Reply reply)
    {
        var message = new JsonObject { ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() } };
        if (reply.AcceptsFeedback)
        {
            var description = new StringBuilder();
            foreach (var line in reply.Lines) description.Append(Escape(line)).Append('\n');
            if (reply.Lines.Count > 0) description.Append('\n');
            foreach (var track in reply.Tracks)
            {
                description.Append($"**{track.Number}. {Escape(track.Title)}** — {Escape(track.Artist)}\n*{Escape(track.Reason)}*\n");
            }
            message["embeds"] = new JsonArray(new JsonObject
            {
                ["title"] = Clip(reply.Title, TitleLimit),
                ["description"] = Clip(description.ToString().TrimEnd(), DescriptionLimit),
                ["footer"] = new JsonObject { ["text"] = "React 👍 ❤️ 👎 (or 1️⃣-🔟 for one track), or press a track's button." },
            });
            message["components"] = Buttons(reply);
        }
        else
        {
            var text = string.Join('\n', reply.ToPlainLines().Select((l, i) => i == 0 && reply.Kind == ReplyKind.Problem ? $"🤔 {l}" : l));
            message["content"] = Clip(text, ContentLimit);
            if (reply.Kind == ReplyKind.Lobby)
            {
                message["components"] = new JsonArray(new JsonObject { ["type"] = 1, ["components"] = new JsonArray(Button("🎧 Join", JoinCustomId, style: 1)) });
            }
        }
        return message;
    }

    /// <summary>👍 N and 👎 N for every track, two tracks (four buttons) a row: ten tracks fill Discord's five rows.</summary>
    private static JsonArray Buttons(Reply reply)
    {
        var rows = new JsonArray();
        foreach (var pair in reply.Tracks.Chunk(2))
        {
            var buttons = new JsonArray();
            foreach (var track in pair)
            {
                buttons.Add(Button($"👍 {track.Number}", $"fb:u:{track.Number}", style: 3));
                buttons.Add(Button($"👎 {track.Number}", $"fb:d:{track.Number}", style: 4));
            }
            rows.Add(new JsonObject { ["type"] = 1, ["components"] = buttons });
        }
        return rows;
    }

    private static JsonObject Button(string label, string customId, int style) =>
        new() { ["type"] = 2, ["style"] = style, ["label"] = label, ["custom_id"] = customId };

    /// <summary>Markdown that would change the look of user-supplied text is escaped.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '_' or '~' or '`' or '|' or '>' or '\\') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static string Clip(string text, int limit) => text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1), "…");
}
