using System.Runtime.CompilerServices;

namespace SpotMirror.Core.Engines;

/// <summary>
/// The learned model (iALS) as a hybrid signal. It reads whichever model was last published, so a
/// background refit swaps it without a pause; the user's vector is solved from their likes at request
/// time, so a like counts in the very next answer. Until a model arrives it has nothing to say.
/// </summary>
public sealed class LearnedEngine : IScoringEngine
{
    // Known items score at least this share of the best score, so an item with no training interaction
    // (zero factors, score 0) never ranks above a known one; among themselves the other engines order them.
    private const float KnownFloor = 1e-4f;
    private volatile ImplicitAlsModel _model = ImplicitAlsModel.Empty;
    private const int CachedUsers = 20_000;
    private volatile SlotMap? _map;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (long Version, ImplicitAlsModel Model, float[]? Vector)> _vectors = new();

    public EngineKind Kind => EngineKind.Learned;

    public ImplicitAlsModel Model => _model;

    /// <summary>Whether a fitted (or loaded) model has been published yet.</summary>
    public bool Arrived => _model.ItemCount > 0;

    /// <summary>
    /// Swaps the model in; the cached user vectors answer to the old one, and would keep it (half a gigabyte at a million
    /// tracks) alive. The candidate index over the factors is built first, on the publishing (background) thread: built
    /// lazily, the first request after each fit paid for it (about a second of every core at a million tracks).
    /// </summary>
    public void Publish(ImplicitAlsModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.ItemCount > 0) _ = model.Leaders;
        _model = model;
        _vectors.Clear();
    }

    /// <summary>
    /// The asking user's vector against the given model (null: no like it knows): solved once per request, and
    /// kept per (user, row version, model), so a user who asks again without having reacted meanwhile costs no
    /// solve; a like changes the row's version, so it still counts in the very next answer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal float[]? UserVector(ScoringContext context, ImplicitAlsModel model)
    {
        if (context.LearnedUser is { } known && ReferenceEquals(known.Model, model)) return known.User;
        var taste = context.Taste;
        float[]? user;
        if (taste.Version is { } version && _vectors.TryGetValue(taste.UserId, out var cached) && cached.Version == version && ReferenceEquals(cached.Model, model))
        {
            user = cached.Vector;
        }
        else
        {
            user = model.FoldIn(taste.Scores.Where(kv => kv.Value > 0).Select(kv => kv.Key));
            if (taste.Version is { } v)
            {
                // Bounded: past the cap the cache starts again rather than tracking recency on the request path.
                if (_vectors.Count >= CachedUsers) _vectors.Clear();
                _vectors[taste.UserId] = (v, model, user);
            }
        }
        context.LearnedUser = (model, user);
        return user;
    }

    /// <summary>First-stage candidates: the items that lead the dimensions where the user's vector is largest.</summary>
    internal IEnumerable<int> Candidates(ScoringContext context, int dimensions, int perDimension)
    {
        var model = _model;
        if (model.ItemCount == 0 || UserVector(context, model) is not { } user) yield break;
        var items = MapFor(model, context.Catalog);
        var leaders = model.Leaders;
        var order = Enumerable.Range(0, user.Length).OrderByDescending(d => Math.Abs(user[d])).Take(dimensions);
        foreach (var d in order)
        {
            foreach (var slot in leaders[(2 * d) + (user[d] >= 0 ? 0 : 1)].Take(perDimension))
            {
                if (items[slot] >= 0) yield return items[slot];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Score(ScoringContext context, Span<float> scores)
    {
        var model = _model;
        if (model.ItemCount == 0) return false;
        if (UserVector(context, model) is not { } user) return false;
        var items = MapFor(model, context.Catalog);
        var best = 0f;
        Span<float> scratch = stackalloc float[model.Factors];
        for (var slot = 0; slot < items.Length; slot++)
        {
            var item = items[slot];
            if (item < 0) continue;
            var score = model.Score(user, slot, scratch);
            scores[item] = score;
            best = Math.Max(best, score);
        }
        var floor = best > 0 ? best * KnownFloor : KnownFloor;
        foreach (var item in items)
        {
            if (item >= 0) scores[item] = Math.Max(scores[item], 0) + floor;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool ScoreItems(ScoringContext context, ReadOnlySpan<int> items, Span<float> scores)
    {
        var model = _model;
        if (model.ItemCount == 0) return false;
        if (UserVector(context, model) is not { } user) return false;
        var slots = SlotsFor(model, context.Catalog);
        var best = 0f;
        Span<float> scratch = stackalloc float[model.Factors];
        for (var k = 0; k < items.Length; k++)
        {
            // An item without factors is NaN here and 0 below: never above a known item.
            var slot = slots[items[k]];
            if (slot < 0)
            {
                scores[k] = float.NaN;
                continue;
            }
            scores[k] = model.Score(user, slot, scratch);
            best = Math.Max(best, scores[k]);
        }
        var floor = best > 0 ? best * KnownFloor : KnownFloor;
        for (var k = 0; k < items.Length; k++) scores[k] = float.IsNaN(scores[k]) ? 0 : Math.Max(scores[k], 0) + floor;
        return true;
    }

    /// <summary>The catalogue item of each model slot (-1 when the track left the catalogue), cached per model and catalogue.</summary>
    internal int[] MapFor(ImplicitAlsModel model, Catalog.CatalogIndex catalog) => Map(model, catalog).Items;

    /// <summary>The model slot of each catalogue item (-1 for a track with no factors).</summary>
    private int[] SlotsFor(ImplicitAlsModel model, Catalog.CatalogIndex catalog) => Map(model, catalog).Slots;

    private SlotMap Map(ImplicitAlsModel model, Catalog.CatalogIndex catalog)
    {
        var map = _map;
        if (map is not null && ReferenceEquals(map.Model, model) && ReferenceEquals(map.Catalog, catalog)) return map;
        var ids = model.Items;
        var items = new int[ids.Length];
        var slots = new int[catalog.Count];
        Array.Fill(slots, -1);
        for (var slot = 0; slot < ids.Length; slot++)
        {
            items[slot] = catalog.TryGetItem(ids[slot], out var item) ? item : -1;
            if (items[slot] >= 0) slots[items[slot]] = slot;
        }
        map = new SlotMap(model, catalog, items, slots);
        _map = map;
        return map;
    }

    private sealed record SlotMap(ImplicitAlsModel Model, Catalog.CatalogIndex Catalog, int[] Items, int[] Slots);
}
