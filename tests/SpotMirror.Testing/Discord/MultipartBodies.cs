using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SpotMirror.Testing.Discord;

/// <summary>One file part of a multipart message body (<c>files[n]</c>), as it arrived.</summary>
public sealed record DiscordUploadedFile(string FieldName, string FileName, string? ContentType, IReadOnlyList<byte> Bytes);

/// <summary>A multipart request the fake accepted or refused: its route, the payload_json text and the files.</summary>
public sealed record DiscordUpload(string? Route, string PayloadJson, IReadOnlyList<DiscordUploadedFile> Files, int Status, DateTimeOffset At);

/// <summary>
/// Discord's multipart/form-data message bodies: the JSON in a <c>payload_json</c> part, files in
/// <c>files[n]</c> parts, each named in the payload's <c>attachments</c> by <c>id: n</c>. Accepted files
/// become attachment objects on the message, and an embed's <c>attachment://name</c> points at its file.
/// </summary>
internal static partial class MultipartBodies
{
    public const int MaxFileBytes = 10 * 1024 * 1024;
    public const int MaxFiles = 10;
    private static long _nextAttachment = 1_300_000_000_000_000_000;

    [GeneratedRegex(@"^files\[(\d{1,2})\]$")]
    private static partial Regex FilePart();

    public static bool IsMultipart(HttpRequest request) =>
        (request.ContentType ?? string.Empty).StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    public static async Task<(string PayloadJson, IReadOnlyList<DiscordUploadedFile> Files)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = 8L * MaxFileBytes }, ct).ConfigureAwait(false);
        var files = new List<DiscordUploadedFile>();
        foreach (var file in form.Files)
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct).ConfigureAwait(false);
            files.Add(new DiscordUploadedFile(file.Name, file.FileName, file.ContentType, copy.ToArray()));
        }

        return (form["payload_json"].ToString(), files);
    }

    /// <summary>Checks the files against the payload and rewrites its attachments as Discord stores them; a refusal otherwise.</summary>
    public static RestResult? Attach(JsonObject body, IReadOnlyList<DiscordUploadedFile> files)
    {
        var byIndex = new Dictionary<int, DiscordUploadedFile>();
        foreach (var file in files)
        {
            var match = FilePart().Match(file.FieldName);
            if (!match.Success || !byIndex.TryAdd(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), file))
            {
                var errors = new FormErrors();
                errors.Add(file.FieldName, "ATTACHMENT_NOT_FOUND", "File part names must be files[n], each n once.");
                return errors.ToResult();
            }

            if (file.Bytes.Count > MaxFileBytes)
            {
                return RestResult.Error(413, 40005, "Request entity too large");
            }
        }

        if (byIndex.Count > MaxFiles)
        {
            var errors = new FormErrors();
            errors.Add("files", "BASE_TYPE_MAX_LENGTH", $"Must be {MaxFiles} or fewer in length.");
            return errors.ToResult();
        }

        var stored = new JsonArray();
        var given = body["attachments"] as JsonArray ?? [.. byIndex.Keys.Order().Select(i => (JsonNode)new JsonObject { ["id"] = i })];
        for (var i = 0; i < given.Count; i++)
        {
            var id = given[i] is JsonObject entry ? DiscordJson.Integer(entry["id"]) : null;
            if (id is not { } index || !byIndex.TryGetValue((int)index, out var file))
            {
                var errors = new FormErrors();
                errors.Add($"attachments.{i}.id", "ATTACHMENT_NOT_FOUND", "The attachment names no files[n] part of this request.");
                return errors.ToResult();
            }

            var name = DiscordJson.String((JsonObject)given[i]!, "filename") ?? file.FileName;
            var snowflake = Interlocked.Increment(ref _nextAttachment).ToString(CultureInfo.InvariantCulture);
            stored.Add(new JsonObject
            {
                ["id"] = snowflake,
                ["filename"] = name,
                ["size"] = file.Bytes.Count,
                ["content_type"] = file.ContentType,
                ["url"] = $"https://cdn.discordapp.com/attachments/0/{snowflake}/{name}",
            });
        }

        body["attachments"] = stored;
        foreach (var embed in (body["embeds"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (embed["image"] is JsonObject image && DiscordJson.String(image, "url") is { } url && url.StartsWith("attachment://", StringComparison.Ordinal))
            {
                var named = stored.OfType<JsonObject>().FirstOrDefault(a => (string?)a["filename"] == url["attachment://".Length..]);
                image["url"] = named is null ? url : (string?)named["url"];
            }
        }

        return null;
    }
}
