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
            // Every service's link under each track when it fits the embed; else only the linked titles.
            var description = Description(reply, serviceLinks: true);
            if (description.Length > DescriptionLimit) description = Description(reply, serviceLinks: false);
            message["embeds"] = new JsonArray(new JsonObject
            {
                ["title"] = Clip(reply.Title, TitleLimit),
                ["description"] = Clip(description, DescriptionLimit),
                ["footer"] = new JsonObject { ["text"] = "React 👍 ❤️ 👎 (or 1️⃣-🔟 for one track), or press a track's button; ▶ plays it." },
            });
            message["components"] = DiscordComponents.ForList(reply);
        }
        else
        {
            var lines = reply.Buttons.Count > 0 ? [reply.Title] : reply.ToPlainLines();
            var text = string.Join('\n', lines.Select((l, i) => i == 0 && reply.Kind == ReplyKind.Problem ? $"🤔 {l}" : l));
            message["content"] = Clip(text, ContentLimit);
            if (reply.Kind == ReplyKind.Lobby)
            {
                message["components"] = new JsonArray(new JsonObject { ["type"] = 1, ["components"] = new JsonArray(Button("🎧 Join", JoinCustomId, style: 1)) });
            }
            else if (reply.Buttons.Count > 0)
            {
                message["components"] = DiscordComponents.ForActions(reply.Buttons);
            }
        }
        return message;
    }

    /// <summary>The file name the taste picture is uploaded under; the embed shows it by attachment://.</summary>
    public const string PictureName = "taste.png";

    /// <summary>Adds an embed that shows the PNG and names it among the attachments; returns the file to upload with the message.</summary>
    public static DiscordFile AttachPicture(JsonObject message, byte[] png)
    {
        ArgumentNullException.ThrowIfNull(message);
        var embeds = message["embeds"] as JsonArray ?? [];
        embeds.Add(new JsonObject
        {
            ["title"] = "Your taste, as a picture",
            ["image"] = new JsonObject { ["url"] = "attachment://" + PictureName },
        });
        message["embeds"] = embeds;
        message["attachments"] = new JsonArray(new JsonObject { ["id"] = 0, ["filename"] = PictureName });
        return new DiscordFile(PictureName, "image/png", png);
    }

    private static string Description(Reply reply, bool serviceLinks)
    {
        var description = new StringBuilder();
        foreach (var line in reply.Lines) description.Append(Escape(line)).Append('\n');
        if (reply.Lines.Count > 0) description.Append('\n');
        foreach (var track in reply.Tracks)
        {
            var title = Escape(track.Title);
            if (track.Page is { } page && DiscordComponents.IsUsableUrl(page.Url)) title = $"[{title}]({page.Url})";
            description.Append($"**{track.Number}. {title}** — {Escape(track.Artist)}\n*{Escape(track.Reason)}*\n");
            var services = track.Links.Where(l => l != track.Page && DiscordComponents.IsUsableUrl(l.Url)).ToList();
            if (serviceLinks && services.Count > 0)
            {
                description.Append("▶ ").AppendJoin(" · ", services.Select(l => $"[{l.Label}]({l.Url})")).Append('\n');
            }
        }
        return description.ToString().TrimEnd();
    }

    internal static JsonObject Button(string label, string customId, int style) =>
        new() { ["type"] = 2, ["style"] = style, ["label"] = label, ["custom_id"] = customId };

    internal static JsonObject LinkButton(string label, string url) =>
        new() { ["type"] = 2, ["style"] = 5, ["label"] = label, ["url"] = url };

    /// <summary>Markdown that would change the look of user-supplied text is escaped.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '*' or '_' or '~' or '`' or '|' or '>' or '\\' or '[' or ']') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static string Clip(string text, int limit) => text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1), "…");
}
