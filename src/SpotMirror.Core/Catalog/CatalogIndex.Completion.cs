namespace SpotMirror.Core.Catalog;

public sealed partial class CatalogIndex
{
    private Completion? _completion;

    /// <summary>Track ("Title - Artist") and artist names for what a person is typing; built on first use, from memory only.</summary>
    public IReadOnlyList<string> Complete(string typed, int max = 25) =>
        LazyInitializer.EnsureInitialized(ref _completion, () => Completion.Build(_tracks, _artistNames)).Complete(typed, max);
}
