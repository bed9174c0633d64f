using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace SpotMirror.Core;

/// <summary>
/// Blots known secrets (bot tokens, API keys) out of text that came from elsewhere (an error a server
/// sent, an exception's message) before it reaches a log line. A secret is found however our code or a
/// server may have encoded it: raw, percent-encoded in either case (and encoded twice), JSON-escaped
/// (\u003A, \/). Every adapter that logs remote text redacts through this one class.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "[redacted]";

    /// <summary>Shorter values are not treated as secrets: redacting "abc" everywhere would garble text and protect nothing.</summary>
    public const int MinimumLength = 8;

    private static readonly TimeSpan MatchLimit = TimeSpan.FromSeconds(1);
    private readonly Regex? _pattern;

    public SecretRedactor(params IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var patterns = secrets
            .Where(s => s is not null && s.Trim().Length >= MinimumLength)
            .Select(s => s!.Trim())
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .Select(Encodings)
            .ToList();
        if (patterns.Count > 0)
        {
            _pattern = new Regex(string.Join('|', patterns), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, MatchLimit);
        }
    }

    /// <summary>No secrets known: text passes unchanged.</summary>
    public static SecretRedactor None { get; } = new();

    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || _pattern is null) return text ?? "";
        try
        {
            return _pattern.Replace(text, Mask);
        }
        catch (RegexMatchTimeoutException)
        {
            // Text too odd to search in time is not worth the risk of logging.
            return $"(a {text.Length}-character message, withheld because it could not be checked for secrets)";
        }
    }

    /// <summary>A pattern matching the secret with each character other than a letter or digit in any of its encodings.</summary>
    private static string Encodings(string secret)
    {
        var sb = new StringBuilder();
        foreach (var rune in secret.EnumerateRunes())
        {
            var text = rune.ToString();
            if (Rune.IsLetterOrDigit(rune) && rune.IsAscii)
            {
                sb.Append(Regex.Escape(text));
                continue;
            }
            var alternatives = new List<string> { Regex.Escape(text), @"\\" + Regex.Escape(text) };
            var utf8 = Encoding.UTF8.GetBytes(text);
            alternatives.Add(string.Concat(utf8.Select(b => "%(?:25)?" + b.ToString("X2", CultureInfo.InvariantCulture))));
            if (rune.IsBmp) alternatives.Add(@"\\u" + rune.Value.ToString("X4", CultureInfo.InvariantCulture));
            if (text == " ") alternatives.Add(@"\+");
            sb.Append("(?:").Append(string.Join('|', alternatives)).Append(')');
        }
        return sb.ToString();
    }
}
