
namespace SpotMirror.Testing.Discord;

/// <summary>Everything the fake saw and did, for tests to assert on and wait for.</summary>
internal sealed class DiscordRecorder
{
    public RecordedLog<DiscordRequest> Requests { get; } = new();

    public RecordedLog<SentDiscordMessage> Messages { get; } = new();

    public RecordedLog<DiscordUpload> Uploads { get; } = new();

    public RecordedLog<InteractionCallback> Callbacks { get; } = new();

    public RecordedLog<BotReaction> Reactions { get; } = new();

    public RecordedLog<CommandRegistration> Commands { get; } = new();

    public RecordedLog<GatewayConnection> Connections { get; } = new();

    public RecordedLog<GatewayClose> Closes { get; } = new();

    public RecordedLog<GatewayIdentify> Identifies { get; } = new();

    public RecordedLog<GatewayResume> Resumes { get; } = new();

    public RecordedLog<GatewayHeartbeat> Heartbeats { get; } = new();
}
