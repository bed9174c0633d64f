using SpotMirror.Core.Catalog;
using SpotMirror.Core.Evaluation;
using SpotMirror.Core.Preferences;

namespace SpotMirror.Evaluation;

/// <summary>
/// HetRec turned into what the bot runs on: each artist an item (a Track whose title and artist are the
/// artist's name), its tags weighted by how many users applied them (top tag = 100), and its listeners
/// and plays counted from the training interactions only, so nothing held out leaks into popularity.
/// </summary>
public sealed class HetrecCatalog
{
    /// <summary>Title words and the artist feature would only repeat the item's own name: tags alone describe an artist here.</summary>
    public static readonly ContentWeights Weights = new(Tag: 1f, Artist: 0f, TitleWord: 0f);

    private HetrecCatalog(CatalogIndex index, Split split)
    {
        Index = index;
        Split = split;
    }

    public CatalogIndex Index { get; }
    /// <summary>The split in track ids (= HetRec artist ids).</summary>
    public Split Split { get; }

    /// <summary>User -> the artists they listened to (binary: any play counts).</summary>
    public static Dictionary<int, int[]> ItemsByUser(HetrecDataset data) =>
        data.Plays.GroupBy(p => p.User).ToDictionary(g => g.Key, g => g.Select(p => p.Artist).Distinct().ToArray());

    public static HetrecCatalog Build(HetrecDataset data, Split split)
    {
        var listeners = new Dictionary<int, long>();
        var plays = new Dictionary<int, long>();
        var trainSets = split.Train.ToDictionary(kv => kv.Key, kv => kv.Value.ToHashSet());
        foreach (var (user, artist, count) in data.Plays)
        {
            if (!trainSets.TryGetValue(user, out var mine) || !mine.Contains(artist)) continue;
            listeners[artist] = listeners.GetValueOrDefault(artist) + 1;
            plays[artist] = plays.GetValueOrDefault(artist) + count;
        }
        var artists = data.Artists.Keys.Order().ToList();
        var tracks = artists.Select(id => new Track(id, data.Artists[id], data.Artists[id], null, Tags(data, id),
            listeners.GetValueOrDefault(id), plays.GetValueOrDefault(id))).ToList();
        return new HetrecCatalog(CatalogIndex.Build(tracks, weights: Weights), split);
    }

    /// <summary>The training interactions as preference entries (score 1), all at one moment so no decay applies.</summary>
    public static IEnumerable<PreferenceEntry> TrainEntries(Split split, DateTimeOffset at) =>
        split.Train.SelectMany(kv => kv.Value.Select(artist => new PreferenceEntry(kv.Key, artist, 1.0, at, 0)));

    private static List<TagWeight> Tags(HetrecDataset data, int artist)
    {
        if (!data.ArtistTags.TryGetValue(artist, out var counts) || counts.Count == 0) return [];
        var top = counts.Values.Max();
        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new TagWeight(kv.Key, 100f * kv.Value / top)).ToList();
    }
}
