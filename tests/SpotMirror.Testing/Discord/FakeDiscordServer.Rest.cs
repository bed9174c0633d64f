namespace SpotMirror.Testing.Discord;

/// <summary>The REST side: what the bot sent and got back, and the REST faults.</summary>
public sealed partial class FakeDiscordServer
{
    public IReadOnlyList<DiscordRequest> Requests => _recorder.Requests.Snapshot();

    /// <summary>Every multipart/form-data request (payload_json and files[n]) with the uploaded bytes.</summary>
    public IReadOnlyList<DiscordUpload> Uploads => _recorder.Uploads.Snapshot();

    public Task<DiscordUpload> WaitForUploadAsync(Func<DiscordUpload, bool> predicate, TimeSpan timeout) =>
        _recorder.Uploads.WaitForAsync(
            predicate,
            timeout,
            seen => $"No multipart upload matched within {timeout.TotalSeconds:0.##} s. Seen {seen.Count}: "
                    + string.Join("; ", seen.Select(u => $"{u.Route} {u.Status} [{string.Join(", ", u.Files.Select(f => f.FieldName))}]")));

    /// <summary>Every create, edit and delete of a bot message, in order.</summary>
    public IReadOnlyList<SentDiscordMessage> Messages => _recorder.Messages.Snapshot();

    /// <summary>Every interaction callback attempt, refused ones included.</summary>
    public IReadOnlyList<InteractionCallback> Callbacks => _recorder.Callbacks.Snapshot();

    /// <summary>Accepted PUTs and DELETEs of the bot's own reactions.</summary>
    public IReadOnlyList<BotReaction> Reactions => _recorder.Reactions.Snapshot();

    public IReadOnlyList<CommandRegistration> CommandRegistrations => _recorder.Commands.Snapshot();

    /// <summary>Requests that arrived after the fake first answered 401; a client that stops after a 401 keeps this at 0.</summary>
    public int RequestsAfterUnauthorized => _rest.RequestsAfterUnauthorized;

    /// <summary>Plays <paramref name="fault"/> on the next <paramref name="times"/> requests of <paramref name="route"/> (a <see cref="DiscordRoutes"/> constant).</summary>
    public void FailNext(string route, DiscordRestFault fault, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(times);
        if (route != DiscordRoutes.Any && !DiscordRoutes.All.Contains(route))
        {
            throw new ArgumentException($"The fake does not serve \"{route}\"; use a DiscordRoutes constant.", nameof(route));
        }

        _restFaults.Add(route, fault, times);
    }

    public Task<DiscordRequest> WaitForRequestAsync(Func<DiscordRequest, bool> predicate, TimeSpan timeout) =>
        _recorder.Requests.WaitForAsync(predicate, timeout, seen =>
            $"No request matched within {Seconds(timeout)}. Seen {seen.Count}: [{string.Join(", ", seen.TakeLast(20).Select(r => $"{r.Method} {r.Path} -> {r.Status}"))}]");

    public Task<SentDiscordMessage> WaitForMessageAsync(Func<SentDiscordMessage, bool> predicate, TimeSpan timeout) =>
        _recorder.Messages.WaitForAsync(predicate, timeout, seen =>
            $"No bot message matched within {Seconds(timeout)}. "
            + (seen.Count == 0
                ? "Nothing was sent."
                : $"Seen {seen.Count}: " + string.Join("; ", seen.TakeLast(20).Select(m => $"{m.Action} {m.Source} #{m.Id} \"{Shorten(m.Content)}\" ({m.Embeds.Count} embeds)")))
            + $" Refused message requests: [{string.Join(", ", Refused())}]");

    /// <summary>Waits for an accepted callback of <paramref name="interactionId"/>.</summary>
    public Task<InteractionCallback> WaitForCallbackAsync(string interactionId, TimeSpan timeout) =>
        _recorder.Callbacks.WaitForAsync(c => c.InteractionId == interactionId && c.Accepted, timeout, seen =>
            $"Interaction {interactionId} was not acknowledged within {Seconds(timeout)}. Attempts: "
            + $"[{string.Join(", ", seen.Where(c => c.InteractionId == interactionId).Select(c => $"type {c.Type} -> {c.Status} {c.ErrorCode}"))}]; "
            + $"callbacks for other interactions: {seen.Count(c => c.InteractionId != interactionId)}.");

    public Task<BotReaction> WaitForReactionAsync(Func<BotReaction, bool> predicate, TimeSpan timeout) =>
        _recorder.Reactions.WaitForAsync(predicate, timeout, seen =>
            $"No bot reaction matched within {Seconds(timeout)}. Seen: [{string.Join(", ", seen.Select(r => $"{(r.Added ? "+" : "-")}{r.Emoji} on {r.MessageId}"))}]; "
            + $"refused reaction requests: [{string.Join(", ", Refused().Where(r => r.Contains("/reactions/", StringComparison.Ordinal)))}]");

    /// <summary>Waits until at least <paramref name="count"/> bulk overwrites were accepted; returns the last.</summary>
    public async Task<CommandRegistration> WaitForCommandRegistrationAsync(TimeSpan timeout, int count = 1)
    {
        var seen = await _recorder.Commands.WaitForCountAsync(count, timeout, _ =>
            $"Expected {count} accepted command overwrite(s) within {Seconds(timeout)}. Command requests: [{string.Join(", ", Refused().Where(r => r.Contains("/commands", StringComparison.Ordinal)))}]").ConfigureAwait(false);
        return seen[count - 1];
    }

    private IEnumerable<string> Refused() =>
        _recorder.Requests.Snapshot().Where(r => r.Status >= 400).TakeLast(10).Select(r => $"{r.Method} {r.Path} -> {r.Status} {Shorten(r.Body)}");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
