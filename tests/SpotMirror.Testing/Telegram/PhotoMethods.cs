using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Telegram;

/// <summary>One file part of a multipart/form-data request.</summary>
internal sealed record UploadedFile(string FieldName, string FileName, byte[] Bytes);

/// <summary>sendPhoto with an uploaded file, with Telegram's checks: a photo part, a chat, at most 10 MB, an image.</summary>
internal sealed class PhotoMethods(ChatBook chats, RecordedLog<SentTelegramPhoto> sent)
{
    private const int MaxPhotoBytes = 10 * 1024 * 1024;
    private const int MaxCaptionLength = 1024;
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] JpegSignature = [0xFF, 0xD8, 0xFF];

    public ApiResult Send(JsonObject args, IReadOnlyList<UploadedFile> files)
    {
        if (JsonArgs.Long(args, "chat_id") is not { } chatId)
        {
            return ApiResult.BadRequest(args["chat_id"] is null ? "chat_id is empty" : "chat not found");
        }

        if (PhotoOf(args, files) is not { } photo)
        {
            // The fake keeps no files, so a file_id or URL can name nothing it knows.
            return ApiResult.BadRequest(args["photo"] is null ? "there is no photo in the request" : "wrong file identifier/HTTP URL specified");
        }

        if (photo.Bytes.Length > MaxPhotoBytes)
        {
            return ApiResult.Error(413, "Request Entity Too Large");
        }

        if (!photo.Bytes.AsSpan().StartsWith(PngSignature) && !photo.Bytes.AsSpan().StartsWith(JpegSignature))
        {
            return ApiResult.BadRequest("IMAGE_PROCESS_FAILED");
        }

        var caption = JsonArgs.String(args, "caption") ?? string.Empty;
        if (caption.Length > MaxCaptionLength)
        {
            return ApiResult.BadRequest("message caption is too long");
        }

        var reply = args["reply_parameters"] as JsonObject;
        var replyTo = reply is null ? null : JsonArgs.Long(reply, "message_id");
        if (replyTo is { } target && !chats.Exists(chatId, target) && !JsonArgs.Bool(reply!, "allow_sending_without_reply"))
        {
            return ApiResult.BadRequest("message to be replied not found");
        }

        var message = new BotMessage(chatId, chats.NextMessageId(chatId), chats.UnixNow, caption, "[]", MarkupJson: null, EditDate: null);
        chats.Store(message);
        sent.Add(new SentTelegramPhoto(chatId, message.MessageId, photo.Bytes, photo.FileName, caption, replyTo, chats.Now));
        var json = chats.MessageJson(message);
        json.Remove("text");
        json["photo"] = new JsonArray(new JsonObject
        {
            ["file_id"] = $"photo-{chatId}-{message.MessageId}",
            ["file_unique_id"] = $"u{chatId}x{message.MessageId}",
            ["width"] = 1200,
            ["height"] = 900,
            ["file_size"] = photo.Bytes.Length,
        });
        if (caption.Length > 0)
        {
            json["caption"] = caption;
        }

        return ApiResult.Ok(json);
    }

    // The photo is either a file part named "photo" or "attach://<part>" naming another part, as Telegram allows.
    private static UploadedFile? PhotoOf(JsonObject args, IReadOnlyList<UploadedFile> files)
    {
        if (files.FirstOrDefault(f => f.FieldName == "photo") is { } direct)
        {
            return direct;
        }

        return JsonArgs.String(args, "photo") is { } named && named.StartsWith("attach://", StringComparison.Ordinal)
            ? files.FirstOrDefault(f => f.FieldName == named["attach://".Length..])
            : null;
    }
}
