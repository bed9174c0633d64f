using Microsoft.AspNetCore.Http;

namespace SpotMirror.Http.Web;

/// <summary>The stylesheet and script, embedded in this assembly: the pages need nothing from any other server.</summary>
public static class WebAssets
{
    private static readonly Dictionary<string, (byte[] Body, string Type)> Files = new(StringComparer.Ordinal)
    {
        ["site.css"] = (Read("site.css"), "text/css; charset=utf-8"),
        ["site.js"] = (Read("site.js"), "text/javascript; charset=utf-8"),
    };

    public static IResult Serve(string name) =>
        Files.TryGetValue(name, out var file) ? Results.Bytes(file.Body, file.Type) : Results.NotFound();

    private static byte[] Read(string name)
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream($"web/{name}")
            ?? throw new InvalidOperationException($"The web asset {name} is not embedded in {typeof(WebAssets).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
