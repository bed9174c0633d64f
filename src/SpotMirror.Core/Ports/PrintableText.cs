using System.Text;

namespace SpotMirror.Core.Ports;

/// <summary>
/// Text that came from someone else (a display name) made safe to show: no control characters (an ANSI
/// escape sequence is dropped whole, so "[31m" is not left behind), no bidi embeddings, overrides or
/// isolates that would reorder the text around it; line breaks and tabs become single spaces.
/// </summary>
public static class PrintableText
{
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\u001B')
            {
                i = EndOfEscape(text, i);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = sb.Length > 0;
                continue;
            }
            if (char.IsControl(c) || IsBidiControl(c)) continue;
            if (pendingSpace) sb.Append(' ');
            pendingSpace = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>U+202A..U+202E (embeddings, overrides, pop), U+2066..U+2069 (isolates), and the marks U+200E, U+200F, U+061C.</summary>
    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    /// <summary>The index of the last character of an escape sequence starting at start: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), or ESC and one more.</summary>
    private static int EndOfEscape(string text, int start)
    {
        if (start + 1 >= text.Length) return start;
        var kind = text[start + 1];
        if (kind == '[')
        {
            for (var j = start + 2; j < text.Length; j++)
            {
                if (text[j] is >= '\u0040' and <= '\u007E') return j;
            }
            return text.Length - 1;
        }
        if (kind == ']')
        {
            for (var j = start + 2; j < text.Length; j++)
            {
                if (text[j] == '\u0007') return j;
                if (text[j] == '\u001B' && j + 1 < text.Length && text[j + 1] == '\\') return j + 1;
            }
            return text.Length - 1;
        }
        return start + 1;
    }
}
