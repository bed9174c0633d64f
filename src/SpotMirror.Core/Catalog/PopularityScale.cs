namespace SpotMirror.Core.Catalog;

/// <summary>
/// One popularity scale for every provider, in Last.fm's log units: a track's counts give
/// ln(1 + listeners) + ln(1 + plays); Spotify's 0-100 popularity, which Spotify derives from recent plays on
/// a roughly logarithmic scale, is laid linearly onto the same axis with 100 at the top of Last.fm's track
/// chart (about 3 million listeners and 30 million plays), so 0 meets 0 and 100 meets the biggest hits.
/// A track known to both gets the mean of its two readings. The popularity engine normalises the result.
/// </summary>
public static class PopularityScale
{
    public const long TopListeners = 3_000_000;
    public const long TopPlays = 30_000_000;

    /// <summary>Where Spotify's 100 sits: a chart-topping track's reading from its counts.</summary>
    public static readonly double Top = Math.Log(1 + TopListeners) + Math.Log(1 + TopPlays);

    public static double FromCounts(long? listeners, long? plays) =>
        Math.Log(1 + Math.Max(0, listeners ?? 0)) + Math.Log(1 + Math.Max(0, plays ?? 0));

    public static double FromPopularity(int popularity) => Math.Clamp(popularity, 0, 100) / 100.0 * Top;

    /// <summary>The track's reading: from its counts, its 0-100 popularity, or the mean of both when it has both.</summary>
    public static double Of(long? listeners, long? plays, int? popularity)
    {
        var hasCounts = listeners is not null || plays is not null;
        if (popularity is not { } p) return FromCounts(listeners, plays);
        return hasCounts ? (FromCounts(listeners, plays) + FromPopularity(p)) / 2 : FromPopularity(p);
    }
}
