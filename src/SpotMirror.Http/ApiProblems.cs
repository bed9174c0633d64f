using Microsoft.AspNetCore.Http;

namespace SpotMirror.Http;

/// <summary>
/// Every error the API answers, as RFC 9457 problem details (application/problem+json): a short title,
/// a detail sentence that says what would work, and, where it helps, the valid values as extensions.
/// </summary>
public static class ApiProblems
{
    public static IResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: extensions);

    public static IResult NotFound(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title, extensions: extensions);

    public static IResult Conflict(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: title);

    public static IResult Missing(string parameter, string hint) =>
        BadRequest($"Missing {parameter}", $"{parameter} is required. {hint}".TrimEnd(), One("parameter", parameter));

    public static IResult TooLong(string parameter, int maximum) =>
        BadRequest($"{parameter} too long", $"{parameter} is at most {maximum} characters.", One("parameter", parameter));

    public static IResult TopOutOfRange(string? given) =>
        BadRequest("top out of range",
            $"top must be a whole number from {ApiHandlers.MinTop} to {ApiHandlers.MaxTop} (default {ApiHandlers.DefaultTop}); got \"{Shorten(given)}\".",
            new Dictionary<string, object?> { ["parameter"] = "top", ["minimum"] = ApiHandlers.MinTop, ["maximum"] = ApiHandlers.MaxTop });

    public static IResult UnknownMood(string mood, IReadOnlyList<string> suggestions, IReadOnlyList<string> moods)
    {
        var didYouMean = suggestions.Count > 0 ? $" Did you mean {string.Join(" or ", suggestions)}?" : "";
        return BadRequest("Unknown mood",
            $"There is no mood \"{Shorten(mood)}\".{didYouMean} Moods: {string.Join(", ", moods)}; or describe one in words (rainy sunday) or with an emoji (😌).",
            new Dictionary<string, object?> { ["moods"] = moods.ToArray(), ["suggestions"] = suggestions.ToArray() });
    }

    public static IResult UnknownSong(string song, IReadOnlyList<string> suggestions, string? extra = null)
    {
        var didYouMean = suggestions.Count > 0 ? $" Did you mean: {string.Join("; ", suggestions)}?" : " Try an artist's name, \"Title - Artist\", or a track id.";
        return NotFound("Unknown song",
            $"No track or artist in the catalogue matches \"{Shorten(song)}\".{didYouMean}{extra}",
            One("suggestions", suggestions.ToArray()));
    }

    public static IResult UnknownTag(string tag) =>
        NotFound("Unknown tag", $"No track in the catalogue is tagged \"{Shorten(tag)}\". Try a genre like rock, jazz or hip-hop, or leave tag out.");

    public static IResult UnknownUser(string user) =>
        NotFound("Unknown user", $"Nothing is stored about \"{Shorten(user)}\": a user appears with their first feedback (POST /users/{{user}}/feedback).");

    /// <summary>The one sentence every unreadable feedback body gets (bad JSON, wrong types, no JSON content type).</summary>
    public const string FeedbackBodyHint =
        "Send a JSON body (Content-Type: application/json) like {\"trackId\": 12, \"signal\": \"like\"} or {\"track\": \"Nightcall - Kavinsky\", \"signal\": \"love\"}.";

    private static Dictionary<string, object?> One(string key, object? value) => new() { [key] = value };

    private static string Shorten(string? text) => text is null ? "" : text.Length > 60 ? text[..60] + "…" : text;
}
