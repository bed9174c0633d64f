namespace SpotMirror.Core.Engines;

/// <summary>
/// The learned item-item model (EASE) as a hybrid signal. It reads whichever model was last published,
/// so a background refit swaps it without a pause; the user's likes are read live from the taste.
/// </summary>
public sealed class LearnedEngine : IScoringEngine
{
    private volatile EaseModel _model = EaseModel.Empty;

    public string Name => "learned";

    public EaseModel Model => _model;

    public void Publish(EaseModel model) => _model = model;

    public bool Score(ScoringContext context, Span<float> scores)
    {
        var catalog = context.Catalog;
        var likes = context.Taste.Scores.Where(kv => kv.Value > 0).Select(kv => (kv.Key, 1.0));
        return _model.Score(likes, id => catalog.TryGetItem(id, out var item) ? item : -1, scores);
    }
}
