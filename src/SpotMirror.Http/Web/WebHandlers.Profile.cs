using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SpotMirror.Chat.Pictures;
using SpotMirror.Core.Ports;
using SpotMirror.UseCases;

namespace SpotMirror.Http.Web;

public sealed partial class WebHandlers
{
    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<IResult> ProfileAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (visitor.Session is not { } session)
        {
            return PageResult(Html.Page("Profile", "/web/profile", visitor, "<h1>Your profile</h1>" + Html.SignInPrompt("see your taste")));
        }
        var taste = await TasteData.GatherAsync(_recommender, _records, session.UserId, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var reactions = await _records.ActiveReactionsAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        var links = await _records.LinkedAccountsAsync(session.UserId, cancellationToken).ConfigureAwait(false);

        var body = new StringBuilder($"<h1>{Html.E(session.DisplayName)}'s taste</h1>");
        if (context.Request.Query.ContainsKey("welcome")) body.Append(Html.Notice("ok", $"Welcome, {session.DisplayName}: you are signed in.", "Reactions here count as the same reactions in the chat."));
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"lead\">{taste.LikedCount} track(s) liked, {taste.HiddenCount} hidden, {reactions.Count} reaction(s) on right now.</p>");
        body.Append(Picture(taste));
        body.Append(ReactionsSection(visitor, reactions));
        body.Append(CultureInfo.InvariantCulture, $"""
            <section class="card" aria-labelledby="accounts-title"><h2 id="accounts-title">Linked accounts</h2>
            <ul class="plain"><li>{Html.E(Html.PlatformName(session.Platform))}: signed in from here, as {Html.E(session.DisplayName)}</li>
            {string.Concat(links.Select(l => $"<li>{Html.E(ServiceName(l.Service.Id))}: {Html.E(l.Account)} ({l.Imported} imported track(s), linked {l.LinkedAt:yyyy-MM-dd})</li>"))}</ul>
            {(links.Count == 0 ? "<p class=\"hint\">Link a listening account from the chat with /link lastfm USERNAME: its top and loved tracks seed your taste.</p>" : "")}
            </section>
            <section class="card" aria-labelledby="data-title"><h2 id="data-title">Your data</h2>
            <p>Everything SpotMirror stores about you, as one JSON file, or gone for good.</p>
            <p class="actions"><a class="button" href="/web/export" download>Export my data</a> <a class="button danger" href="/web/forget">Forget me…</a></p>
            </section>
            """);
        return PageResult(Html.Page("Profile", "/web/profile", visitor, body.ToString()));
    }

    /// <summary>The same PNG the chat's /profile attaches, with its content in text for screen readers.</summary>
    private static string Picture(TasteData taste)
    {
        if (taste.IsEmpty) return Html.Notice("info", "I don't know your taste yet.", "React to a few tracks with ❤️ or 👍 and your picture fills in.");
        static string Names(IEnumerable<(string Name, double Weight)> names) => string.Join(", ", names.Select(n => n.Name));
        var moods = taste.MoodWeights.Count > 0 ? Names(taste.MoodWeights) : "none yet";
        var summary = $"Moods: {moods}. Top tags: {Names(taste.Tags)}. Top artists: {Names(taste.Artists)}.";
        return $"""
            <figure class="card picture">
            <a href="/web/profile.png" aria-label="Open the taste picture full size"><img src="/web/profile.png" width="{TastePicture.Width}" height="{TastePicture.Height}" alt="Your taste: liked tracks on the valence-arousal plane, top tags, top artists and reactions over time. {Html.E(summary)}"></a>
            <figcaption>{Html.E(summary)}</figcaption>
            </figure>
            """;
    }

    private string ReactionsSection(WebVisitor visitor, IReadOnlyList<ActiveReaction> reactions)
    {
        var html = new StringBuilder("<section class=\"card\" id=\"reactions\" aria-labelledby=\"reactions-title\"><h2 id=\"reactions-title\">Every reaction that counts</h2>");
        if (reactions.Count == 0) return html.Append("<p>None right now.</p></section>").ToString();
        html.Append("<ul class=\"reactions\">");
        var catalog = _recommender.Catalog;
        foreach (var r in reactions)
        {
            var titles = r.TrackIds.Select(id => catalog.TryGetItem(id, out var item) ? $"{catalog[item].Title} - {catalog[item].Artist}" : "a track no longer in the catalogue").ToList();
            var what = titles.Count == 1 ? titles[0] : $"{titles.Count} tracks: {string.Join("; ", titles.Take(3))}{(titles.Count > 3 ? "…" : "")}";
            html.Append(CultureInfo.InvariantCulture, $"""
                <li><span class="emoji-big" aria-hidden="true">{Html.E(r.Emoji)}</span><span class="what">{Html.E(what)}<small>{Html.E(Html.PlatformName(r.Platform))}, {r.AddedAt:yyyy-MM-dd HH:mm} UTC</small></span>
                <form method="post" action="/web/reactions/take-back">{Html.CsrfField(visitor)}
                <input type="hidden" name="platform" value="{Html.E(r.Platform)}"><input type="hidden" name="chat" value="{Html.E(r.ChatId)}">
                <input type="hidden" name="message" value="{Html.E(r.MessageId)}"><input type="hidden" name="emoji" value="{Html.E(r.Emoji)}"><input type="hidden" name="item" value="{r.ItemIndex}">
                <button class="button small" type="submit" aria-label="Take back {Html.E(r.Emoji)} on {Html.E(what)}">Take back</button></form></li>
                """);
        }
        return html.Append("</ul></section>").ToString();
    }

    public async Task<IResult> PictureAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (visitor.Session is not { } session) return Results.StatusCode(StatusCodes.Status401Unauthorized);
        var taste = await TasteData.GatherAsync(_recommender, _records, session.UserId, _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.File(TastePicture.Render(taste, $"{session.DisplayName}'s taste"), "image/png");
    }

    /// <summary>Everything stored about the signed-in person, as a JSON file to keep.</summary>
    public async Task<IResult> ExportAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (visitor.Session is not { } session) return Answer(context, StatusCodes.Status401Unauthorized, "Sign in first", "Export holds your data, so it needs you signed in: say /web in any chat.");
        var tables = await _records.ExportAsync(session.UserId, cancellationToken).ConfigureAwait(false);
        var export = new Dictionary<string, object?>
        {
            ["exportedAt"] = _clock.GetUtcNow(),
            ["about"] = "Everything SpotMirror stores about you, table by table. Times are Unix milliseconds (UTC). Sign-in secrets are stored only as hashes and are left out.",
            ["tables"] = tables,
        };
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.File(JsonSerializer.SerializeToUtf8Bytes(export, ExportJson), "application/json", $"spotmirror-{session.UserId}.json");
    }

    public async Task<IResult> ForgetPageAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        var body = visitor.Session is null
            ? Html.SignInPrompt("delete your data")
            : $"""
              <section class="card narrow danger-zone" aria-labelledby="forget-title"><h1 id="forget-title">Forget me</h1>
              <p>This deletes everything SpotMirror knows about you: every reaction, your learned taste, linked accounts and your name, in the chat too. It cannot be undone.</p>
              <form method="post" action="/web/forget">{Html.CsrfField(visitor)}
              <p><label class="check"><input type="checkbox" name="confirm" value="yes" required> I understand: delete everything about me</label></p>
              <p class="actions"><button class="button danger" type="submit">Forget me</button> <a class="button ghost" href="/web/profile">Keep my data</a></p></form>
              </section>
              """;
        return PageResult(Html.Page("Forget me", "/web/profile", visitor, body));
    }

    public async Task<IResult> ForgetAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var (form, status) = await ReadFormAsync(context, cancellationToken).ConfigureAwait(false);
        if (form is null) return BadForm(context, status);
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (RefuseWrite(context, visitor, form["csrf"], "delete your data") is { } refused) return refused;
        if (form["confirm"] != "yes") return Answer(context, StatusCodes.Status400BadRequest, "Nothing was deleted", "Tick the box to confirm, then press Forget me.");

        var userId = visitor.Session!.UserId;
        await _transactions.RunAsync((unit, ct) => _forget.ForgetAsync(unit, userId, ct), cancellationToken).ConfigureAwait(false);
        context.Response.Cookies.Delete(CookieName, CookieOptions(context, null));
        var body = "<section class=\"card narrow\"><h1>You are forgotten</h1>" +
            Html.Notice("ok", "Everything SpotMirror knew about you is deleted.", "Your next message in a chat starts a fresh profile.") +
            "<p><a class=\"button\" href=\"/web\">Back to the start</a></p></section>";
        return PageResult(Html.Page("Forgotten", "", WebVisitor.Anonymous, body));
    }

    public async Task<IResult> GroupAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        if (visitor.Session is not { } session)
        {
            return PageResult(Html.Page("Group", "/web/group", visitor, "<h1>Group playlists</h1>" + Html.SignInPrompt("see your chats' group playlists")));
        }
        var playlists = await _records.GroupPlaylistsAsync(session.UserId, 10, cancellationToken).ConfigureAwait(false);
        var body = new StringBuilder("<h1>Group playlists</h1><p class=\"lead\">The last playlists made with /group in your chats, and how well each suited everyone.</p>");
        if (playlists.Count == 0) body.Append(Html.Notice("info", "No group playlist yet.", "Say /group in a chat, let friends join with 🎧, then /group go."));
        var catalog = _recommender.Catalog;
        foreach (var p in playlists)
        {
            var heading = $"{(p.Session.Mood is { } mood ? Capitalize(mood) : "Anything goes")} · {Html.PlatformName(p.Session.Platform)} · {(p.ClosedAt ?? p.Session.CreatedAt):yyyy-MM-dd HH:mm} UTC";
            body.Append(CultureInfo.InvariantCulture, $"<section class=\"card\"><h2>{Html.E(heading)}</h2><ul class=\"members\">");
            foreach (var m in p.Members)
            {
                var percent = (int)Math.Round(100 * (m.Satisfaction ?? 0));
                body.Append(CultureInfo.InvariantCulture, $"<li><span>{Html.E(m.DisplayName)}</span><meter min=\"0\" max=\"100\" value=\"{percent}\" aria-label=\"{Html.E(m.DisplayName)}'s satisfaction\">{percent}%</meter><span class=\"percent\">{percent}%</span></li>");
            }
            body.Append("</ul><ol class=\"playlist\">");
            foreach (var id in p.TrackIds)
            {
                if (catalog.TryGetItem(id, out var item)) body.Append(CultureInfo.InvariantCulture, $"<li>{Html.E(catalog[item].Title)} <span class=\"artist\">{Html.E(catalog[item].Artist)}</span></li>");
            }
            body.Append("</ol></section>");
        }
        return PageResult(Html.Page("Group", "/web/group", visitor, body.ToString()));
    }

    private string ServiceName(string id) => _linker?.Services.FirstOrDefault(s => s.Id == id)?.DisplayName ?? id;
}
