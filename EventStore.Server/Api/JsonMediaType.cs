using Microsoft.Net.Http.Headers;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// Which request bodies the API reads as JSON, by their <c>Content-Type</c>: <c>application/json</c>, <c>text/json</c>
/// and any <c>+json</c> type of those (<c>application/vnd.example+json</c>), in UTF-8. Anything else is a 415. A charset
/// other than UTF-8 is named in the answer: JSON between systems is UTF-8 (RFC 8259), and a body declared otherwise
/// would only fail to decode further on. Parameters after the type are not checked but for the charset.
/// </summary>
internal static class JsonMediaType
{
    /// <summary>
    /// The charset of <paramref name="contentType"/> when it names one that is not UTF-8 (for any request: a sender
    /// that says it sends another charset is answered so), else <see langword="null"/>.
    /// </summary>
    public static string? ForeignCharset(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
        {
            return null;
        }

        // A parameter value may be quoted (RFC 9110): charset="utf-8" is UTF-8 too.
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).Value;
        return charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? null
            : charset;
    }

    /// <summary>Whether a body of <paramref name="contentType"/> is JSON the API reads.</summary>
    public static bool IsJson(string? contentType) => TryReadType(contentType, out var type, out var subtype)
        && (type.Equals("application", StringComparison.OrdinalIgnoreCase) || type.Equals("text", StringComparison.OrdinalIgnoreCase))
        && (subtype.Equals("json", StringComparison.OrdinalIgnoreCase) || Suffix(subtype).Equals("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether the declared charset, if any, is the one the body is read in: exactly <c>utf-8</c>, in any case.</summary>
    public static bool IsUtf8(string? contentType) =>
        contentType is null
        || !MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        || HeaderUtilities.RemoveQuotes(mediaType.Charset).Value is not { } charset
        || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);

    private static ReadOnlySpan<char> Suffix(ReadOnlySpan<char> subtype) =>
        subtype.LastIndexOf('+') is var plus and >= 0 ? subtype[(plus + 1)..] : [];

    /// <summary>Reads <c>type/subtype</c> at the start of the header (white space allowed around each part).</summary>
    private static bool TryReadType(string? contentType, out ReadOnlySpan<char> type, out ReadOnlySpan<char> subtype)
    {
        type = subtype = default;
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var rest = contentType.AsSpan().TrimStart();
        type = rest[..TokenLength(rest)];
        rest = rest[type.Length..].TrimStart();
        if (type.IsEmpty || rest.IsEmpty || rest[0] != '/')
        {
            return false;
        }

        rest = rest[1..].TrimStart();
        subtype = rest[..TokenLength(rest)];
        return !subtype.IsEmpty;
    }

    private static int TokenLength(ReadOnlySpan<char> text)
    {
        var length = 0;
        while (length < text.Length && IsTokenChar(text[length]))
        {
            length++;
        }

        return length;
    }

    // RFC 9110 tchar.
    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
}
