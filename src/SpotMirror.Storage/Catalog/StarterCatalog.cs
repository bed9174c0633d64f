using SpotMirror.Core.Ports;

namespace SpotMirror.Storage.Catalog;

/// <summary>The catalog that ships inside the product (an embedded CSV), imported when the catalog is empty.</summary>
public static class StarterCatalog
{
    public const string Provider = "starter";

    public static IReadOnlyList<TrackInput> Load()
    {
        using var stream = typeof(StarterCatalog).Assembly.GetManifestResourceStream("starter-catalog.csv")
            ?? throw new InvalidOperationException("The starter catalog is missing from this build.");
        using var reader = new StreamReader(stream);
        var (tracks, problems) = TrackCsv.Read(reader, Provider);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"The starter catalog has a bad row at line {problems[0].Line}: {problems[0].Message}.");
        }
        return tracks;
    }
}
