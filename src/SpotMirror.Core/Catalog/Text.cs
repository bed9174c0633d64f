using System.Text;

namespace SpotMirror.Core.Catalog;

/// <summary>Normalisation shared by indexing and lookup, so "Don't Stop" and "dont stop" meet.</summary>
public static class Text
{
    /// <summary>Lower-case letters and digits, single spaces; apostrophes dropped, other punctuation a space.</summary>
    public static string Normalize(string value)
    {
        var sb = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var raw in value)
        {
            if (raw is '\'' or '’') continue;
            if (char.IsLetterOrDigit(raw))
            {
                if (pendingSpace && sb.Length > 0) sb.Append(' ');
                pendingSpace = false;
                sb.Append(char.ToLowerInvariant(raw));
            }
            else
            {
                pendingSpace = true;
            }
        }
        return sb.ToString();
    }

    public static string[] Tokens(string value) =>
        Normalize(value).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Levenshtein distance, for "did you mean".</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
