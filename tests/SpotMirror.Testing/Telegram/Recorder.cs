namespace SpotMirror.Testing.Telegram;

/// <summary>Everything the fake saw and accepted, for tests to assert on and wait for.</summary>
internal sealed class Recorder
{
    public RecordedLog<TelegramRequest> Requests { get; } = new();

    public RecordedLog<SentTelegramMessage> SentMessages { get; } = new();

    public RecordedLog<SentTelegramPhoto> SentPhotos { get; } = new();

    public RecordedLog<CallbackAnswer> CallbackAnswers { get; } = new();

    public RecordedLog<BotReaction> Reactions { get; } = new();

    public RecordedLog<InlineAnswer> InlineAnswers { get; } = new();

    public RecordedLog<CommandSet> Commands { get; } = new();

    public RecordedLog<WebhookDelivery> WebhookDeliveries { get; } = new();
}
