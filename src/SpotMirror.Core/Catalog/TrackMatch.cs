using System.Text;

namespace SpotMirror.Core.Catalog;

/// <summary>
/// The key under which two providers' names for one recording meet: artist and title normalised, with the
/// decorations providers add folded away. A title loses trailing "(feat. …)", "[with …]", "- Remastered
/// 2011", "- Live at Wembley", "(Live)", "- Radio Edit", "- Mono", "- From "Some Film"" and an inline
/// "feat. …" tail; an artist loses "feat. …" and a leading "The"; "&amp;" and "+" read as "and"; accents go.
/// Only trailing segments are folded, so "Live and Let Die" and "(I Can't Get No) Satisfaction" keep their words.
/// </summary>
public static class TrackMatch
{
    private static readonly string[] FeaturingWords = ["feat", "ft", "featuring", "with"];
    private static readonly string[] LeadWords = ["feat", "ft", "featuring", "with", "from"];
    private static readonly HashSet<string> FoldTokens = new(StringComparer.Ordinal)
    {
        "remaster", "remastered", "remasters", "live", "mono", "stereo", "explicit", "clean",
    };
    private static readonly string[] FoldPhrases =
    [
        "radio edit", "single edit", "single version", "album version", "radio version", "original version", "bonus track",
    ];

    public static string Key(string artist, string title) => FoldArtist(artist) + "|" + FoldTitle(title);

    public static string FoldTitle(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        var folded = StripFeaturingTail(StripDecorations(title.Trim()));
        var key = Normalize(folded);
        return key.Length > 0 ? key : Normalize(title);
    }

    public static string FoldArtist(string artist)
    {
        ArgumentNullException.ThrowIfNull(artist);
        var key = Normalize(StripFeaturingTail(StripDecorations(artist.Trim())));
        if (key.StartsWith("the ", StringComparison.Ordinal) && key.Length > 4) key = key[4..];
        return key.Length > 0 ? key : Normalize(artist);
    }

    /// <summary>Removes trailing bracketed or dash-separated segments that only decorate the name, as long as any remain.</summary>
    private static string StripDecorations(string name)
    {
        while (true)
        {
            var cut = TrailingSegmentStart(name);
            if (cut <= 0) return name;
            name = name[..cut].TrimEnd();
        }
    }

    /// <summary>Where a decorating trailing segment starts; -1 when the name ends in none.</summary>
    private static int TrailingSegmentStart(string name)
    {
        if (name.Length > 0 && name[^1] is ')' or ']')
        {
            var open = name.LastIndexOf(name[^1] == ')' ? '(' : '[');
            if (open > 0 && Decorates(name[(open + 1)..^1])) return open;
        }
        foreach (var dash in new[] { " - ", " – ", " — " })
        {
            var at = name.LastIndexOf(dash, StringComparison.Ordinal);
            if (at > 0 && Decorates(name[(at + dash.Length)..])) return at;
        }
        return -1;
    }

    private static bool Decorates(string segment)
    {
        var words = Normalize(segment).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return false;
        if (LeadWords.Contains(words[0])) return true;
        if (words.Any(FoldTokens.Contains)) return true;
        var joined = string.Join(' ', words);
        return FoldPhrases.Any(p => joined.Contains(p, StringComparison.Ordinal));
    }

    /// <summary>"Get Lucky feat. Pharrell" and "Daft Punk ft Pharrell": everything from the featuring word on goes.</summary>
    private static string StripFeaturingTail(string name)
    {
        var words = name.Split(' ');
        for (var i = 1; i < words.Length; i++)
        {
            var word = words[i].TrimEnd('.').TrimStart('(', '[').ToLowerInvariant();
            if (word != "with" && FeaturingWords.Contains(word)) return string.Join(' ', words[..i]);
        }
        return name;
    }

    /// <summary><see cref="Text.Normalize"/> after folding accents and reading "&amp;" and "+" as "and".</summary>
    private static string Normalize(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '&' or '+') sb.Append(" and ");
            else sb.Append(Plain(c));
        }
        return Text.Normalize(sb.ToString());
    }

    private static string Plain(char c) => char.ToLowerInvariant(c) switch
    {
        'à' or 'á' or 'â' or 'ã' or 'ä' or 'å' or 'ā' or 'ă' or 'ą' => "a",
        'ç' or 'ć' or 'č' => "c",
        'ď' or 'đ' => "d",
        'è' or 'é' or 'ê' or 'ë' or 'ē' or 'ė' or 'ę' or 'ě' => "e",
        'ğ' => "g",
        'ì' or 'í' or 'î' or 'ï' or 'ī' or 'ı' => "i",
        'ł' => "l",
        'ñ' or 'ń' or 'ň' => "n",
        'ò' or 'ó' or 'ô' or 'õ' or 'ö' or 'ø' or 'ō' or 'ő' => "o",
        'ř' => "r",
        'ś' or 'š' or 'ş' => "s",
        'ť' => "t",
        'ù' or 'ú' or 'û' or 'ü' or 'ū' or 'ů' or 'ű' => "u",
        'ý' or 'ÿ' => "y",
        'ź' or 'ż' or 'ž' => "z",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        _ => c.ToString(),
    };
}
