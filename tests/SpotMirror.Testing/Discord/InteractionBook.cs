using System.Text.Json.Nodes;

namespace SpotMirror.Testing.Discord;

/// <summary>
/// Interactions and their tokens: the callback (once, within the response window), then the
/// webhook routes that edit the original response and send follow-ups (within the token lifetime).
/// </summary>
internal sealed class InteractionBook(FakeDiscordOptions options, MessageBook messages, RecordedLog<InteractionCallback> callbacks)
{
    private static readonly HashSet<string> CallbackFields = ["type", "data"];
    private static readonly HashSet<string> DeferFields = ["flags"];
    private static readonly HashSet<string> AutocompleteFields = ["choices"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, IssuedInteraction> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IssuedInteraction> _byToken = new(StringComparer.Ordinal);

    private TimeProvider Clock => options.Clock;

    public void Issue(IssuedInteraction interaction)
    {
        lock (_gate)
        {
            _byId[interaction.Id] = interaction;
            _byToken[interaction.Token] = interaction;
        }
    }

    public RestResult Callback(string id, string token, bool withResponse, JsonNode? body)
    {
        var now = Clock.GetUtcNow();
        lock (_gate)
        {
            var type = body is JsonObject o ? (int?)DiscordJson.Integer(o["type"]) : null;
            var data = body is JsonObject b ? b["data"] as JsonObject : null;
            if (!_byId.TryGetValue(id, out var interaction) || interaction.Token != token)
            {
                return Record(id, type, data, TimeSpan.Zero, RestResult.UnknownInteraction, now);
            }

            var since = now - interaction.DispatchedAt;
            if (interaction.AcknowledgedWith is not null)
            {
                return Record(id, type, data, since, RestResult.AlreadyAcknowledged, now);
            }

            if (since > options.InteractionResponseWindow)
            {
                return Record(id, type, data, since, RestResult.UnknownInteraction, now);
            }

            var answer = CheckCallback(interaction, body) ?? Apply(interaction, type!.Value, data, withResponse);
            return Record(id, type, data, since, answer, now);
        }
    }

    public RestResult GetOriginal(string applicationId, string token) =>
        WithOriginal(applicationId, token, original => RestResult.Json(original.Message.DeepClone()));

    public RestResult EditOriginal(string applicationId, string token, JsonNode? body) =>
        WithOriginal(applicationId, token, original => EditMessage(original, body));

    public RestResult DeleteOriginal(string applicationId, string token) =>
        WithOriginal(applicationId, token, original =>
        {
            messages.Delete(original);
            return RestResult.NoContent;
        });

    public RestResult CreateFollowup(string applicationId, string token, JsonNode? body)
    {
        lock (_gate)
        {
            if (Resolve(applicationId, token, out var interaction) is { } refused)
            {
                return refused;
            }

            if (body is not JsonObject message)
            {
                return NotAnObject();
            }

            if (MessageRules.Check(message, MessageBodyKind.Followup) is { } invalid)
            {
                return invalid;
            }

            if (interaction.FollowupFillsOriginal && interaction.Original is { Deleted: false } loading)
            {
                interaction.FollowupFillsOriginal = false;
                messages.Edit(loading, message);
                return RestResult.Json(loading.Message.DeepClone());
            }

            var flags = MessageRules.FlagsOf(message) & MessageRules.Ephemeral;
            var created = messages.Create(interaction.Place.ChannelId, interaction.Place.GuildId, message, DiscordMessageSource.Followup, interaction, flags);
            return RestResult.Json(created.Message.DeepClone());
        }
    }

    public RestResult EditFollowup(string applicationId, string token, string messageId, JsonNode? body) =>
        WithFollowup(applicationId, token, messageId, message => EditMessage(message, body));

    public RestResult DeleteFollowup(string applicationId, string token, string messageId) =>
        WithFollowup(applicationId, token, messageId, message =>
        {
            messages.Delete(message);
            return RestResult.NoContent;
        });

    // Caller holds _gate. Null when the body is a valid answer to this interaction.
    private static RestResult? CheckCallback(IssuedInteraction interaction, JsonNode? body)
    {
        if (body is not JsonObject callback)
        {
            return NotAnObject();
        }

        var errors = new FormErrors();
        errors.UnknownFields(callback, CallbackFields, string.Empty);
        if (DiscordJson.Integer(callback["type"]) is not { } type)
        {
            errors.Required("type");
            return errors.ToResult();
        }

        if (!interaction.AllowedCallbacks.Contains((int)type))
        {
            errors.Add("type", "FAKE_CALLBACK_TYPE_INVALID", $"Callback type {type} does not answer interaction type {interaction.Type} (allowed: {string.Join(", ", interaction.AllowedCallbacks)}).");
        }

        if (callback["data"] is not null and not JsonObject)
        {
            errors.WrongType("data", "an object");
        }

        if (errors.Any)
        {
            return errors.ToResult();
        }

        var payload = callback["data"] as JsonObject;
        switch (type)
        {
            case 4 when payload is null:
                return RestResult.EmptyMessage;
            case 4:
                return MessageRules.Check(payload, MessageBodyKind.InteractionReply, "data.");
            case 7 when payload is not null:
                return MessageRules.Check(payload, MessageBodyKind.InteractionUpdate, "data.");
            case 5 when payload is not null:
                errors.UnknownFields(payload, DeferFields, "data");
                if ((MessageRules.FlagsOf(payload) & ~MessageRules.Ephemeral) != 0)
                {
                    errors.Add("data.flags", "FAKE_FLAGS_NOT_ALLOWED", "A deferred response may set only EPHEMERAL (64).");
                }

                break;
            case 8:
                CheckChoices(payload, interaction.FocusedOptionType ?? 3, errors);
                break;
        }

        return errors.Any ? errors.ToResult() : null;
    }

    private static void CheckChoices(JsonObject? data, long optionType, FormErrors errors)
    {
        if (data?["choices"] is not JsonArray choices)
        {
            errors.Required("data.choices");
            return;
        }

        errors.UnknownFields(data, AutocompleteFields, "data");
        if (choices.Count > 25)
        {
            errors.TooLong("data.choices", 25);
        }

        for (var i = 0; i < choices.Count; i++)
        {
            CommandRules.CheckChoice(choices[i], optionType, $"data.choices.{i}", errors);
        }
    }

    // Caller holds _gate.
    private RestResult Apply(IssuedInteraction interaction, int type, JsonObject? data, bool withResponse)
    {
        var component = interaction.ComponentMessageId is { } messageId ? messages.Find(messageId) : null;
        if (type is 6 or 7 && component is null)
        {
            return RestResult.UnknownMessage;
        }

        var place = interaction.Place;
        switch (type)
        {
            case 4:
                interaction.Original = messages.Create(place.ChannelId, place.GuildId, data!, DiscordMessageSource.InteractionResponse, interaction, 0);
                break;
            case 5:
                var ephemeral = data is null ? 0 : MessageRules.FlagsOf(data) & MessageRules.Ephemeral;
                interaction.Original = messages.Create(place.ChannelId, place.GuildId, [], DiscordMessageSource.InteractionResponse, interaction, MessageRules.Loading | ephemeral);
                interaction.FollowupFillsOriginal = true;
                break;
            case 6:
                interaction.Original = component;
                break;
            case 7:
                interaction.Original = component;
                if (data is not null)
                {
                    messages.Edit(component!, data);
                }

                break;
        }

        interaction.AcknowledgedWith = type;
        return withResponse ? RestResult.Json(CallbackResponse(interaction, type)) : RestResult.NoContent;
    }

    private static JsonObject CallbackResponse(IssuedInteraction interaction, int type)
    {
        var original = interaction.Original;
        var summary = new JsonObject
        {
            ["id"] = interaction.Id,
            ["type"] = interaction.Type,
            ["activity_instance_id"] = null,
            ["response_message_id"] = original?.Id,
            ["response_message_loading"] = original is not null && (original.Flags & MessageRules.Loading) != 0,
            ["response_message_ephemeral"] = original is not null && (original.Flags & MessageRules.Ephemeral) != 0,
        };
        var resource = new JsonObject { ["type"] = type };
        if (type is 4 or 7 && original is not null)
        {
            resource["message"] = original.Message.DeepClone();
        }

        return new JsonObject { ["interaction"] = summary, ["resource"] = resource };
    }

    private RestResult EditMessage(StoredMessage message, JsonNode? body)
    {
        if (body is not JsonObject edit)
        {
            return NotAnObject();
        }

        if (MessageRules.Check(edit, MessageBodyKind.WebhookEdit) is { } invalid)
        {
            return invalid;
        }

        messages.Edit(message, edit);
        return RestResult.Json(message.Message.DeepClone());
    }

    private RestResult WithOriginal(string applicationId, string token, Func<StoredMessage, RestResult> act)
    {
        lock (_gate)
        {
            if (Resolve(applicationId, token, out var interaction) is { } refused)
            {
                return refused;
            }

            if (interaction.Original is not { Deleted: false } original)
            {
                return RestResult.UnknownMessage;
            }

            interaction.FollowupFillsOriginal = false;
            return act(original);
        }
    }

    private RestResult WithFollowup(string applicationId, string token, string messageId, Func<StoredMessage, RestResult> act)
    {
        lock (_gate)
        {
            if (Resolve(applicationId, token, out var interaction) is { } refused)
            {
                return refused;
            }

            return messages.Find(messageId) is { } message && (message.InteractionId == interaction.Id || message == interaction.Original)
                ? act(message)
                : RestResult.UnknownMessage;
        }
    }

    // Caller holds _gate. The token works only after an acknowledgement, and only for its lifetime.
    private RestResult? Resolve(string applicationId, string token, out IssuedInteraction interaction)
    {
        interaction = null!;
        if (applicationId != options.ApplicationId || !_byToken.TryGetValue(token, out var found))
        {
            return RestResult.UnknownWebhook;
        }

        interaction = found;
        if (Clock.GetUtcNow() - found.DispatchedAt > options.InteractionTokenLifetime)
        {
            return RestResult.InvalidWebhookToken;
        }

        return found.AcknowledgedWith is null ? RestResult.UnknownWebhook : null;
    }

    private static RestResult NotAnObject()
    {
        var errors = new FormErrors();
        errors.WrongType(string.Empty, "a JSON object");
        return errors.ToResult();
    }

    private RestResult Record(string id, int? type, JsonObject? data, TimeSpan since, RestResult answer, DateTimeOffset at)
    {
        callbacks.Add(new InteractionCallback(id, type ?? 0, (JsonObject?)data?.DeepClone(), since, answer.Status, answer.ErrorCode, at));
        return answer;
    }
}
