using System.Text.Json.Nodes;
using SpotMirror.Chat;

namespace SpotMirror.Discord;

/// <summary>
/// The buttons under a reply, within Discord's legacy layout: at most 5 action rows of at most 5 buttons.
/// A list keeps its 👍/👎 per track first (two tracks a row), then More, then a ▶ link button per track
/// where the rows allow (up to six tracks; a longer list keeps its linked titles in the embed instead).
/// </summary>
public static class DiscordComponents
{
    public const int MaxRows = 5;
    public const int MaxPerRow = 5;

    /// <summary>Discord refuses a link button whose url is over 512 characters or not http(s), and with it the whole message.</summary>
    private const int MaxUrlLength = 512;

    public static bool IsUsableUrl(string url) =>
        url.Length <= MaxUrlLength && Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    public static JsonArray ForList(Reply reply)
    {
        var rows = new List<List<JsonObject>>();
        foreach (var pair in reply.Tracks.Chunk(2))
        {
            rows.Add([.. pair.SelectMany(track => new[]
            {
                DiscordRenderer.Button($"👍 {track.Number}", $"fb:u:{track.Number}", style: 3),
                DiscordRenderer.Button($"👎 {track.Number}", $"fb:d:{track.Number}", style: 4),
            })]);
        }
        var actions = reply.Buttons.Where(b => b.Action.Length <= 100).Select(b => DiscordRenderer.Button(b.Label, b.Action, style: 2)).ToList();
        var links = reply.Tracks
            .Where(t => t.Play is { } play && IsUsableUrl(play.Url))
            .Select(t => DiscordRenderer.LinkButton($"▶ {t.Number}", t.Play!.Url))
            .ToList();

        // Links and actions share rows of their own after the feedback rows; the links go when they do not fit.
        var tail = links.Concat(actions).Chunk(MaxPerRow).Select(r => r.ToList()).ToList();
        if (rows.Count + tail.Count <= MaxRows)
        {
            rows.AddRange(tail);
        }
        else
        {
            foreach (var action in actions) Place(rows, action);
        }
        return Rows(rows);
    }

    /// <summary>A picker's buttons, five to a row, as many as five rows hold.</summary>
    public static JsonArray ForActions(IReadOnlyList<ReplyButton> buttons) =>
        Rows(buttons.Where(b => b.Action.Length <= 100)
            .Take(MaxRows * MaxPerRow)
            .Select(b => DiscordRenderer.Button(b.Label, b.Action, style: 2))
            .Chunk(MaxPerRow).Select(r => r.ToList()).ToList());

    /// <summary>Into the last row when it has room, else a new row when there may be one more.</summary>
    private static void Place(List<List<JsonObject>> rows, JsonObject button)
    {
        if (rows.Count > 0 && rows[^1].Count < MaxPerRow) rows[^1].Add(button);
        else if (rows.Count < MaxRows) rows.Add([button]);
    }

    private static JsonArray Rows(List<List<JsonObject>> rows) =>
        new([.. rows.Select(r => (JsonNode)new JsonObject { ["type"] = 1, ["components"] = new JsonArray([.. r]) })]);
}
