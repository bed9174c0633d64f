namespace SpotMirror.Core.Catalog;

public sealed partial class CatalogIndex
{
    private Completion? _nearCompletion;

    /// <summary>
    /// Track ("Title - Artist") and artist names for what a person is typing, prefixes first, then near misses
    /// (a typo), for autocomplete; built on first use, from memory only. <see cref="Complete"/> is prefix-only.
    /// </summary>
    public IReadOnlyList<string> CompleteOrNear(string typed, int max = 25) =>
        LazyInitializer.EnsureInitialized(ref _nearCompletion, () => Completion.Build(_tracks, _artistNames)).Complete(typed, max);
}
