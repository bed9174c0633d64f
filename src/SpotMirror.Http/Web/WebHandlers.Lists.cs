using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ranking;

namespace SpotMirror.Http.Web;

public sealed partial class WebHandlers
{
    private const int MaxQueryLength = 200;

    /// <summary>The start page: named moods as buttons, words or an emoji, and the list for the chosen mood.</summary>
    public async Task<IResult> MoodAsync(HttpContext context, string? mood, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        var query = mood?.Trim() ?? "";
        var moods = _recommender.Moods.Moods;
        var body = new StringBuilder("<h1>What's the mood?</h1>");
        if (context.Request.Query.ContainsKey("signedout")) body.Append(Html.Notice("ok", "You are signed out."));
        body.Append("<form class=\"mood-form card\" method=\"get\" action=\"/web\" role=\"search\" aria-label=\"Choose a mood\">");
        body.Append("<fieldset class=\"chips\"><legend>Moods</legend>");
        foreach (var named in moods)
        {
            var current = string.Equals(named.Name, query, StringComparison.OrdinalIgnoreCase) ? " aria-current=\"true\"" : "";
            body.Append(CultureInfo.InvariantCulture, $"<button class=\"chip\" type=\"submit\" name=\"mood\" value=\"{Html.E(named.Name)}\"{current}>{Html.E(named.Emoji.Count > 0 ? named.Emoji[0] : "")} {Html.E(named.Name)}</button>");
        }
        body.Append("</fieldset><div class=\"row\"><label for=\"mood-words\">Or in your own words, or an emoji</label>");
        body.Append(CultureInfo.InvariantCulture, $"<div class=\"inline\"><input id=\"mood-words\" name=\"mood\" type=\"text\" maxlength=\"{MaxQueryLength}\" placeholder=\"rainy sunday, 😌\" value=\"{Html.E(query)}\" autocomplete=\"off\"><button class=\"button\" type=\"submit\">Show tracks</button></div></div>");
        body.Append("<div class=\"emoji-row\" role=\"group\" aria-label=\"Moods as emoji\">");
        foreach (var named in moods.Where(m => m.Emoji.Count > 1))
        {
            body.Append(CultureInfo.InvariantCulture, $"<button class=\"emoji\" type=\"submit\" name=\"mood\" value=\"{Html.E(named.Emoji[1])}\" aria-label=\"{Html.E(named.Name)} ({Html.E(named.Emoji[1])})\">{Html.E(named.Emoji[1])}</button>");
        }
        body.Append("</div></form>");

        if (query.Length > MaxQueryLength)
        {
            body.Append(Html.Notice("problem", $"That's too long: describe the mood in under {MaxQueryLength} characters."));
        }
        else if (query.Length > 0)
        {
            var resolution = _recommender.Moods.Resolve(query);
            if (resolution.Target is not { } target)
            {
                var didYouMean = resolution.Suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", resolution.Suggestions)}?" : "";
                body.Append(Html.Notice("problem", $"I don't know the mood \"{query}\".{didYouMean}", "Pick one of the moods above, or describe it in other words."));
            }
            else
            {
                var list = _recommender.Recommend(new RecommendationRequest { UserId = visitor.Session?.UserId, Count = ListSize, Mood = target });
                body.Append(await TrackListAsync(visitor, $"{Capitalize(target.Label)} for you", list, $"/web?mood={Html.Q(query)}", cancellationToken).ConfigureAwait(false));
            }
        }
        return PageResult(Html.Page(query.Length > 0 ? $"Mood: {query}" : "Mood", "/web", visitor, body.ToString()));
    }

    public async Task<IResult> SimilarAsync(HttpContext context, string? q, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        var query = q?.Trim() ?? "";
        var body = new StringBuilder("<h1>Find similar tracks</h1>");
        body.Append(CultureInfo.InvariantCulture, $"""
            <form class="card" method="get" action="/web/similar" role="search">
            <label for="similar-q">A track or an artist</label>
            <div class="inline"><input id="similar-q" name="q" type="search" maxlength="{MaxQueryLength}" value="{Html.E(query)}" list="similar-suggestions"
              autocomplete="off" data-suggest="/web/suggest" aria-describedby="similar-hint" placeholder="Nightcall, Daft Punk">
            <button class="button" type="submit">Find</button></div>
            <datalist id="similar-suggestions"></datalist>
            <p id="similar-hint" class="hint">Suggestions from the catalogue appear as you type.</p>
            </form>
            """);
        if (query.Length > MaxQueryLength)
        {
            body.Append(Html.Notice("problem", $"That's too long: a name of under {MaxQueryLength} characters."));
        }
        else if (query.Length > 0)
        {
            var seed = _recommender.Catalog.FindSeed(query);
            if (seed is null)
            {
                var suggestions = _recommender.Catalog.Complete(query, 3);
                body.Append(Html.Notice("problem", $"I don't know a track or artist called \"{query}\".",
                    suggestions.Count > 0 ? $"Did you mean: {string.Join("; ", suggestions)}?" : "Try an artist's name, or \"Title - Artist\"."));
            }
            else
            {
                var list = _recommender.Recommend(new RecommendationRequest { UserId = visitor.Session?.UserId, Count = ListSize, Seed = seed });
                body.Append(await TrackListAsync(visitor, $"Like {seed.Label}", list, $"/web/similar?q={Html.Q(query)}", cancellationToken).ConfigureAwait(false));
            }
        }
        return PageResult(Html.Page("Similar", "/web/similar", visitor, body.ToString()));
    }

    /// <summary>Names from the catalogue that start with what was typed, for the search box.</summary>
    public IResult Suggest(string? q) =>
        Results.Json(q is { Length: > 0 and <= MaxQueryLength } ? _recommender.Catalog.Complete(q) : []);

    public async Task<IResult> ForYouAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var visitor = await VisitorAsync(context, cancellationToken).ConfigureAwait(false);
        var body = new StringBuilder("<h1>For you</h1>");
        if (visitor.Session is not { } session)
        {
            body.Append(Html.SignInPrompt("see picks made for you"));
            body.Append(await TrackListAsync(visitor, "Popular now", _recommender.Popular(null, ListSize), "/web/for-you", cancellationToken).ConfigureAwait(false));
        }
        else
        {
            var list = _recommender.Recommend(new RecommendationRequest { UserId = session.UserId, Count = ListSize });
            body.Append("<p class=\"lead\">Every engine blended, as /recommend does in the chat: each pick says why.</p>");
            body.Append(await TrackListAsync(visitor, "Picked for you", list, "/web/for-you", cancellationToken).ConfigureAwait(false));
        }
        return PageResult(Html.Page("For you", "/web/for-you", visitor, body.ToString()));
    }

    /// <summary>A list of tracks, each with its reason and ❤️ 👍 👎 (pressed when this person's reaction is on).</summary>
    private async Task<string> TrackListAsync(WebVisitor visitor, string title, IReadOnlyList<Recommendation> list, string returnTo, CancellationToken cancellationToken)
    {
        if (list.Count == 0) return Html.Notice("info", "Nothing to show right now.", "Try another mood, or react to a few tracks first.");
        var pressed = await PressedAsync(visitor, cancellationToken).ConfigureAwait(false);
        var html = new StringBuilder($"<section class=\"results\" aria-labelledby=\"results-title\"><h2 id=\"results-title\">{Html.E(title)}</h2>");
        if (!visitor.SignedIn) html.Append("<p class=\"hint\">Sign in to react: your ❤️ 👍 👎 teach SpotMirror, here and in the chat.</p>");
        html.Append("<ol class=\"tracks\">");
        foreach (var (r, i) in list.Select((r, i) => (r, i)))
        {
            var name = $"{r.Track.Title} by {r.Track.Artist}";
            html.Append(CultureInfo.InvariantCulture, $"""
                <li class="track"><span class="rank" aria-hidden="true">{i + 1}</span>
                <div class="meta"><span class="title">{Html.E(r.Track.Title)}</span><span class="artist">{Html.E(r.Track.Artist)}</span><span class="reason">{Html.E(r.Reason)}</span>{Listen(r.Track, name)}</div>
                <form class="react" method="post" action="/web/feedback" data-react>{Html.CsrfField(visitor)}
                <input type="hidden" name="track" value="{r.Track.Id}"><input type="hidden" name="return" value="{Html.E(returnTo)}">
                """);
            foreach (var (emoji, verb) in PageReactions)
            {
                var on = pressed.Contains((r.Track.Id, Emoji.Strip(emoji))) ? "true" : "false";
                html.Append(CultureInfo.InvariantCulture, $"<button type=\"submit\" name=\"emoji\" value=\"{emoji}\" aria-pressed=\"{on}\" aria-label=\"{verb} {Html.E(name)}\" title=\"{verb}\">{emoji}</button>");
            }
            html.Append("</form></li>");
        }
        return html.Append("</ol></section>").ToString();
    }

    /// <summary>The track's listen links (the same ones the chat and the API give), opened in a new tab.</summary>
    private string Listen(Track track, string name)
    {
        var links = _links.For(track);
        if (links.Count == 0) return "";
        return "<span class=\"listen\">" + string.Concat(links.Select(l =>
            $"<a href=\"{Html.E(l.Url)}\" target=\"_blank\" rel=\"noopener noreferrer\" aria-label=\"{Html.E(name)} on {Html.E(l.Label)}\">{Html.E(l.Label)}</a>")) + "</span>";
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
