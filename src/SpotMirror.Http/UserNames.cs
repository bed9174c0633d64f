using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace SpotMirror.Http;

/// <summary>
/// One decoding rule for the names a client sends. Kestrel decodes a path segment except %2F (so
/// /users/a%2Fb/feedback arrives as "a%2Fb") while the query is decoded in full (?user=a%2Fb is "a/b"):
/// the same person would be two users. So the {user} segment is read again from the raw request target
/// and percent-decoded the way the query is, and every escape in the target must spell valid UTF-8
/// (the framework would quietly turn a bad one into U+FFFD, and two different names into one).
/// </summary>
internal static class UserNames
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Task DecodeOnce(HttpContext context, RequestDelegate next)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw)) return next(context);
        var mark = raw.IndexOf('?', StringComparison.Ordinal);
        var path = mark < 0 ? raw : raw[..mark];
        var query = mark < 0 ? "" : raw[(mark + 1)..];

        var segments = path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            if (!TryDecode(segments[i], plusIsSpace: false, out var segment)) return NotUtf8(context, "the address");
            // "/users/{user}/...": the second segment is the user, decoded like the query's user.
            if (i == 2 && segments[1] == "users" && context.Request.RouteValues.ContainsKey("user")) context.Request.RouteValues["user"] = segment;
        }
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            if (!TryDecode(name, plusIsSpace: true, out var key)) return NotUtf8(context, "a query parameter's name");
            if (equals >= 0 && !TryDecode(pair[(equals + 1)..], plusIsSpace: true, out _)) return NotUtf8(context, $"the query parameter {key}");
        }
        return next(context);
    }

    /// <summary>Percent-decodes to bytes and reads them as strict UTF-8; a '%' without two hex digits stays a '%'.</summary>
    internal static bool TryDecode(string text, bool plusIsSpace, out string decoded)
    {
        decoded = text;
        if (!text.Contains('%', StringComparison.Ordinal) && !(plusIsSpace && text.Contains('+', StringComparison.Ordinal))) return true;
        var bytes = new List<byte>(text.Length);
        Span<byte> one = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && Uri.IsHexDigit(text[i + 1]) && Uri.IsHexDigit(text[i + 2]))
            {
                bytes.Add((byte)((Uri.FromHex(text[i + 1]) << 4) | Uri.FromHex(text[i + 2])));
                i += 2;
            }
            else if (c == '+' && plusIsSpace)
            {
                bytes.Add((byte)' ');
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
            else
            {
                var count = Encoding.UTF8.GetBytes([c], one);
                for (var b = 0; b < count; b++) bytes.Add(one[b]);
            }
        }
        try
        {
            decoded = Strict.GetString([.. bytes]);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static Task NotUtf8(HttpContext context, string where) =>
        ApiProblems.BadRequest("Not UTF-8",
            $"The percent-escapes in {where} do not spell valid UTF-8 text. Encode names as UTF-8 before escaping them (a/b is a%2Fb, é is %C3%A9).")
            .ExecuteAsync(context);
}
