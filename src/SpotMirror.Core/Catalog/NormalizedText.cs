using System.Runtime.InteropServices;

namespace SpotMirror.Core.Catalog;

/// <summary>
/// <see cref="Text.Normalize"/> remembered per distinct string, for one catalogue build: a million tracks
/// carry a few million tags but only a few thousand distinct ones, and normalising each copy was most of
/// the build. Not for titles, which are nearly all distinct.
/// </summary>
internal sealed class NormalizedText
{
    private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

    public string Of(string value)
    {
        ref var normalized = ref CollectionsMarshal.GetValueRefOrAddDefault(_cache, value, out var seen);
        if (!seen) normalized = Text.Normalize(value);
        return normalized!;
    }
}
