using SpotMirror.Core.Catalog;
using SpotMirror.Core.Ports;
using SpotMirror.Core.Preferences;
using SpotMirror.Core.Service;

namespace SpotMirror.UseCases;

/// <summary>
/// Feedback as every front end hands it over: who, on what (platform, chat, message, emoji, item), which
/// signal, about which tracks, given or taken back. A reaction on a whole list is lighter than one that
/// names a single track (FullWeight); feedback on a group playlist counts less (InGroup). A Toggle (a
/// button press) gives the feedback when it is off and takes it back when it is on. Emoji is the key the
/// reaction is stored under: front ends pass ReactionVocabulary.Key (one key per meaning, so skin tones and 🔥
/// are the like they mean), or a stored key as it is when taking a reaction back.
/// </summary>
public sealed record FeedbackInput(
    string EventId,
    long UserId,
    string Platform,
    string ChatId,
    string MessageId,
    string Emoji,
    int? ItemIndex,
    FeedbackSignal Signal,
    IReadOnlyList<long> Tracks,
    bool Added,
    DateTimeOffset At)
{
    public bool FullWeight { get; init; } = true;
    public bool InGroup { get; init; }
    public bool Toggle { get; init; }
}

/// <summary>What the feedback did: applied, a redelivery, or no change; whether it ended up on; its weight per track and whether it hides.</summary>
public sealed record FeedbackDone(FeedbackOutcome Outcome, bool Added, double Weight, bool Hides);

/// <summary>
/// Give and take back feedback, the one way for every front end: the learner's weight and hide rule, the
/// store's write in the caller's unit of work (logged once by event id, so a redelivered event changes
/// nothing), and the in-memory matrix once that unit commits, so the next recommendation already knows.
/// </summary>
public sealed class FeedbackUseCase(PreferenceLearner learner, IPreferenceStore store, PreferenceMatrix matrix)
{
    public async Task<FeedbackDone> ApplyAsync(IUnitOfWork unit, FeedbackInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(input);
        var weight = learner.WeightOf(input.Signal, input.FullWeight, input.InGroup);
        var hides = PreferenceLearner.Hides(input.Signal, input.FullWeight);
        var command = new FeedbackCommand(
            input.EventId, input.UserId, input.Platform, input.ChatId, input.MessageId, Emoji.Strip(input.Emoji), input.ItemIndex,
            input.Added, input.Signal, input.Tracks.Select(t => new TrackDelta(t, weight, hides)).ToList(), input.At, input.Toggle);
        var result = await store.ApplyAsync(unit, command, cancellationToken).ConfigureAwait(false);
        unit.OnCommitted(() => Telemetry.FeedbackCommitted(result.Outcome));
        if (result.Outcome == FeedbackOutcome.Applied) unit.OnCommitted(() => matrix.Set(result.Changed));
        return new FeedbackDone(result.Outcome, result.Added, weight, hides);
    }
}
