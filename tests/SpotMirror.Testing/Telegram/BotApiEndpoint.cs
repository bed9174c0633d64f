using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SpotMirror.Testing.Telegram;

/// <summary>
/// Serves <c>POST /bot{token}/{method}</c>: records the request, checks the token and method,
/// plays a scripted fault if one is due, and otherwise runs the method.
/// </summary>
internal sealed class BotApiEndpoint
{
    private const string GetUpdates = "getUpdates";
    private const string SendPhoto = "sendPhoto";
    private const long MaxUploadBytes = 50L * 1024 * 1024;

    private readonly string _token;
    private readonly Recorder _recorder;
    private readonly FaultPlan _faults;
    private readonly UpdateQueue _updates;
    private readonly ChatBook _chats;
    private readonly Dictionary<string, Func<JsonObject, ApiResult>> _methods;
    private readonly PhotoMethods _photos;
    private readonly WebhookPush _webhook;
    private int _getUpdatesCalls;
    private int _supersededPolls;

    public BotApiEndpoint(string token, Recorder recorder, FaultPlan faults, UpdateQueue updates, ChatBook chats, WebhookPush webhook)
    {
        _webhook = webhook;
        _token = token;
        _recorder = recorder;
        _faults = faults;
        _updates = updates;
        _chats = chats;
        var bot = new BotMethods(chats, updates, recorder, webhook);
        var messages = new MessageMethods(chats, recorder.SentMessages);
        _photos = new PhotoMethods(chats, recorder.SentPhotos);

        // Telegram matches method names case-insensitively.
        _methods = new(StringComparer.OrdinalIgnoreCase)
        {
            ["getMe"] = bot.GetMe,
            ["deleteWebhook"] = bot.DeleteWebhook,
            ["setWebhook"] = bot.SetWebhook,
            ["getWebhookInfo"] = bot.GetWebhookInfo,
            ["setMyCommands"] = bot.SetMyCommands,
            ["getMyCommands"] = bot.GetMyCommands,
            ["answerCallbackQuery"] = bot.AnswerCallbackQuery,
            ["answerInlineQuery"] = bot.AnswerInlineQuery,
            ["setMessageReaction"] = bot.SetMessageReaction,
            ["sendMessage"] = messages.Send,
            ["editMessageText"] = messages.Edit,
            [SendPhoto] = args => _photos.Send(args, []),
        };
    }

    public int GetUpdatesCalls => Volatile.Read(ref _getUpdatesCalls);

    /// <summary>Polls a newer poll ended with 409: each one means two clients polled at once.</summary>
    public int SupersededPolls => Volatile.Read(ref _supersededPolls);

    public bool Knows(string method) => _methods.ContainsKey(method) || IsGetUpdates(method);

    /// <param name="stopping">Cancelled when the fake shuts down, so held polls and delays end at once.</param>
    public async Task HandleAsync(HttpContext context, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = linked.Token;
        try
        {
            var result = await AnswerAsync(context, ct).ConfigureAwait(false);
            if (result is not null)
            {
                await WriteAsync(context, result, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client hung up, or the fake is stopping and drops the connection as a vanished server would;
            // either way no empty 200 must go out.
            context.Abort();
        }
    }

    // Null means the answer was already given another way (connection aborted, truncated body).
    private async Task<ApiResult?> AnswerAsync(HttpContext context, CancellationToken ct)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (segments.Length != 2 || !segments[0].StartsWith("bot", StringComparison.Ordinal))
        {
            return ApiResult.NotFound;
        }

        var method = segments[1];
        var upload = context.Request.HasFormContentType
            ? await ReadFormAsync(context.Request, ct).ConfigureAwait(false)
            : null;
        var body = upload?.Description ?? await ReadBodyAsync(context.Request, ct).ConfigureAwait(false);
        _recorder.Requests.Add(new TelegramRequest(method, body, context.Request.ContentType, Headers(context.Request), _chats.Now));
        if (segments[0]["bot".Length..] != _token)
        {
            return ApiResult.Unauthorized;
        }

        if (!Knows(method))
        {
            return ApiResult.NotFound;
        }

        if (IsGetUpdates(method))
        {
            Interlocked.Increment(ref _getUpdatesCalls);
        }

        if ((upload is null ? JsonArgs.Parse(body) : upload.Args) is not { } args)
        {
            return ApiResult.BadRequest("can't parse JSON object");
        }

        switch (_faults.Take(method))
        {
            case TelegramFault.Answer answer:
                return answer.Result;
            case TelegramFault.Reset:
                context.Abort();
                return null;
            case TelegramFault.Truncated:
                var whole = IsGetUpdates(method) ? ApiResult.OkRaw(_updates.Peek(PollRequestOf(args))) : Run(method, args);
                await WriteAsync(context, new ApiResult(200, whole.Body[..(whole.Body.Length / 2)]), ct).ConfigureAwait(false);
                return null;
            case TelegramFault.Milliseconds when !IsGetUpdates(method):
                var answered = Run(method, args);
                if (JsonNode.Parse(answered.Body) is JsonObject envelope && envelope["result"] is JsonObject result && result["date"] is JsonValue date)
                {
                    result["date"] = date.GetValue<long>() * 1000;
                    return new ApiResult(answered.Status, envelope.ToJsonString(ApiResult.Json));
                }
                return answered;
            case TelegramFault.Delayed delayed:
                await Task.Delay(delayed.Wait, ct).ConfigureAwait(false);
                break;
        }

        if (method.Equals(SendPhoto, StringComparison.OrdinalIgnoreCase))
        {
            return _photos.Send(args, upload?.Files ?? []);
        }

        if (!IsGetUpdates(method))
        {
            return Run(method, args);
        }

        if (_webhook.Target is not null)
        {
            return ApiResult.Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        }

        var batch = await _updates.PollAsync(PollRequestOf(args), ct).ConfigureAwait(false);
        if (batch is null)
        {
            Interlocked.Increment(ref _supersededPolls);
        }

        return batch is null
            ? ApiResult.Error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
            : ApiResult.OkRaw(batch);
    }

    private ApiResult Run(string method, JsonObject args) => _methods[method](args);

    private static bool IsGetUpdates(string method) => method.Equals(GetUpdates, StringComparison.OrdinalIgnoreCase);

    private static PollRequest PollRequestOf(JsonObject args)
    {
        var limit = JsonArgs.Long(args, "limit") is { } asked ? (int)Math.Clamp(asked, 1, 100) : 100;
        var timeout = (int)Math.Max(0, JsonArgs.Long(args, "timeout") ?? 0);
        var allowed = args["allowed_updates"] is JsonArray list
            ? list.Select(node => node is JsonValue value && value.TryGetValue(out string? type) ? type : string.Empty).ToArray()
            : null;
        return new PollRequest(JsonArgs.Long(args, "offset"), limit, timeout, allowed);
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A form body as Telegram reads one: each text field is a parameter (objects arrive as JSON text), each
    /// file part an upload. The recorded body names the fields and files rather than holding the bytes.
    /// </summary>
    private static async Task<FormUpload> ReadFormAsync(HttpRequest request, CancellationToken ct)
    {
        var form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = MaxUploadBytes }, ct).ConfigureAwait(false);
        var args = new JsonObject();
        foreach (var field in form)
        {
            var text = field.Value.ToString();
            args[field.Key] = text.StartsWith('{') || text.StartsWith('[') ? ParseOrText(text) : JsonValue.Create(text);
        }

        var files = new List<UploadedFile>();
        foreach (var file in form.Files)
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, ct).ConfigureAwait(false);
            files.Add(new UploadedFile(file.Name, file.FileName, copy.ToArray()));
        }

        var description = new JsonObject
        {
            ["fields"] = args.DeepClone(),
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject { ["name"] = f.FieldName, ["filename"] = f.FileName, ["bytes"] = f.Bytes.Length })]),
        };
        return new FormUpload(args, files, description.ToJsonString(ApiResult.Json));
    }

    private static JsonNode? ParseOrText(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private sealed record FormUpload(JsonObject Args, IReadOnlyList<UploadedFile> Files, string Description);

    private static Dictionary<string, string> Headers(HttpRequest request) =>
        request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);

    private static Task WriteAsync(HttpContext context, ApiResult result, CancellationToken ct)
    {
        context.Response.StatusCode = result.Status;
        context.Response.ContentType = result.ContentType;
        return context.Response.WriteAsync(result.Body, ct);
    }
}
