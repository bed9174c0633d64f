namespace SpotMirror.Core.Catalog;

/// <summary>Emoji arrive with and without variation selectors (❤ and ❤️); compare them without.</summary>
public static class Emoji
{
    public static string Strip(string emoji) =>
        emoji.Trim().Replace("\uFE0F", "", StringComparison.Ordinal).Replace("\uFE0E", "", StringComparison.Ordinal);
}
