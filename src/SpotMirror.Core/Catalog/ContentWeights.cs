namespace SpotMirror.Core.Catalog;

/// <summary>How much each kind of feature counts in a track's TF-IDF vector before the IDF factor.</summary>
public sealed record ContentWeights(float Tag = 1.0f, float Artist = 0.8f, float TitleWord = 0.3f)
{
    public static ContentWeights Default { get; } = new();
}
