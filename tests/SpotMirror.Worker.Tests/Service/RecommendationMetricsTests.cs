using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using SpotMirror.Testing;

namespace SpotMirror.Worker.Tests.Service;

/// <summary>
/// /metrics counts every recommended track by the engine that contributed most to it and by the kind of list
/// (path): the counts add up to the tracks the API returned, and the labels stay within a small fixed set.
/// </summary>
public sealed partial class RecommendationMetricsTests : IDisposable
{
    private static readonly string[] Engines = ["mood", "popularity", "content", "collaborative", "learned", "none"];
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Recommended_tracks_are_counted_by_engine_and_path_and_add_up_to_the_lists_returned()
    {
        using var service = ServiceProcess.Start(new Dictionary<string, string?> { ["Storage__Path"] = _db.Path });
        service.Input.Close();
        await service.WaitForOkAsync("/health/ready");

        var anonymous = await TracksAsync(service, "/recommend/mood?mood=chill&top=5");
        var similar = await TracksAsync(service, $"/recommend/similar?song={anonymous[0]}&top=4");
        var popular = await TracksAsync(service, "/recommend?top=3");
        var samples = Samples((await service.GetAsync("/metrics")).Body);

        Assert.Equal(0, await service.TerminateAsync());
        Assert.All(samples, s => Assert.Contains(s.Engine, Engines));
        Assert.Equal(anonymous.Count, samples.Where(s => s.Path == "popular-by-mood").Sum(s => s.Count));
        Assert.Equal(similar.Count, samples.Where(s => s.Path == "similar").Sum(s => s.Count));
        Assert.Equal(popular.Count, samples.Where(s => s.Path == "hybrid").Sum(s => s.Count));
        // Like a seed: content similarity is what ranks it; for anyone, the mood's list leans on mood fit and popularity.
        Assert.Contains(samples, s => s is { Path: "similar", Engine: "content" });
        Assert.DoesNotContain(samples, s => s.Path == "popular-by-mood" && s.Engine is not ("mood" or "popularity"));
    }

    private static async Task<IReadOnlyList<long>> TracksAsync(ServiceProcess service, string path)
    {
        var (status, body) = await service.GetAsync(path);
        Assert.True(status == System.Net.HttpStatusCode.OK, $"{path}: {(int)status} {body}");
        using var json = JsonDocument.Parse(body);
        var tracks = json.RootElement.GetProperty("tracks").EnumerateArray().Select(t => t.GetProperty("id").GetInt64()).ToList();
        Assert.NotEmpty(tracks);
        return tracks;
    }

    private static List<(string Engine, string Path, long Count)> Samples(string metrics) =>
        metrics.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => Sample().Match(line))
            .Where(m => m.Success)
            .Select(m => (Label(m.Groups["labels"].Value, "engine"), Label(m.Groups["labels"].Value, "path"), long.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))
            .ToList();

    private static string Label(string labels, string name) =>
        Regex.Match(labels, $"(?:^|,){name}=\"(?<v>[^\"]*)\"") is { Success: true } m ? m.Groups["v"].Value : "";

    [GeneratedRegex("^spotmirror_recommendations_total\\{(?<labels>[^}]*)\\} (?<value>[0-9]+)")]
    private static partial Regex Sample();
}
