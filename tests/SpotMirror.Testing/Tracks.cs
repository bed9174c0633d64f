using SpotMirror.Core.Catalog;

namespace SpotMirror.Testing;

/// <summary>Terse track builders for hand-worked test catalogs.</summary>
public static class Tracks
{
    /// <summary>A track whose tags are "tag" (weight 100) or "tag:weight".</summary>
    public static Track Make(long id, string title, string artist, params string[] tags) =>
        new(id, title, artist, null, tags.Select(Parse).ToList());

    private static TagWeight Parse(string tag)
    {
        var colon = tag.LastIndexOf(':');
        return colon > 0
            ? new TagWeight(tag[..colon], float.Parse(tag[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture))
            : new TagWeight(tag, 100);
    }
}
