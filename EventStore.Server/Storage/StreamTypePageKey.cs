using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// Position in a listing of stream types: the last type of a page, in the store's order. Every store resumes after the
/// type it names (SQLite in name order, DynamoDB in the order of its items), so the key needs nothing else, and every
/// store hands out and accepts the same opaque keys.
/// </summary>
/// <param name="StreamType">The last stream type of the page.</param>
public sealed record StreamTypePageKey(string StreamType)
{
    /// <summary>Encodes the key as an opaque, URL-safe string: the type's UTF-8 bytes in URL-safe base64 without padding.</summary>
    /// <returns>The key as callers see it.</returns>
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(StreamType));

    /// <summary>
    /// Decodes a key made by <see cref="Encode"/>; anything but URL-safe base64 (no padding, no white space) of UTF-8 text
    /// is rejected (whether the text is a stream type is the API's rule).
    /// </summary>
    /// <param name="text">The key as the caller sent it.</param>
    /// <param name="key">The decoded key.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a key.</returns>
    public static bool TryDecode(string? text, [NotNullWhen(true)] out StreamTypePageKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(text) || !text.All(IsUrlSafeBase64) || !Base64Url.IsValid(text))
        {
            return false;
        }

        var bytes = Base64Url.DecodeFromChars(text);
        try
        {
            key = new StreamTypePageKey(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        return true;
    }

    private static bool IsUrlSafeBase64(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';
}
