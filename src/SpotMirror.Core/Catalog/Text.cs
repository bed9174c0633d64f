using System.Buffers;

namespace SpotMirror.Core.Catalog;

/// <summary>Normalisation shared by indexing and lookup, so "Don't Stop" and "dont stop" meet.</summary>
public static class Text
{
    /// <summary>Lower-case letters and digits, single spaces; apostrophes dropped, other punctuation a space.</summary>
    /// <remarks>A value that is normalised already (most tags) is returned as it is; the rest are built on the stack.</remarks>
    public static string Normalize(string value)
    {
        if (IsNormalized(value)) return value;
        char[]? rented = null;
        // Never longer than the value: a space is written only in place of a character that is not.
        Span<char> buffer = value.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        var length = 0;
        var pendingSpace = false;
        foreach (var raw in value)
        {
            if (raw is '\'' or '’') continue;
            if (char.IsLetterOrDigit(raw))
            {
                if (pendingSpace && length > 0) buffer[length++] = ' ';
                pendingSpace = false;
                buffer[length++] = char.ToLowerInvariant(raw);
            }
            else
            {
                pendingSpace = true;
            }
        }
        var normalized = new string(buffer[..length]);
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        return normalized;
    }

    /// <summary>True when <see cref="Normalize"/> would give the value back unchanged.</summary>
    private static bool IsNormalized(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == ' ')
            {
                if (i == 0 || i == value.Length - 1 || value[i - 1] == ' ') return false;
            }
            else if (!char.IsLetterOrDigit(c) || char.ToLowerInvariant(c) != c)
            {
                return false;
            }
        }
        return true;
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
