using System.Text;
using System.Text.Json;

namespace ServerlessEventStore.Types.Tests;

/// <summary>Copies of a JSON document with one string token (a member name or a string value) replaced, for each one.</summary>
internal static class JsonStrings
{
    /// <summary>An escape that JSON parsers accept and that decodes to no text: a high surrogate without its low one.</summary>
    public const string LoneSurrogate = @"\ud800";

    /// <summary>Bytes that are not UTF-8: a lead byte followed by a byte that cannot continue it.</summary>
    public static readonly byte[] InvalidUtf8 = [0xC3, 0x28];

    public static IEnumerable<string> EachReplacedBy(string json, string replacement) =>
        EachReplacedBy(Encoding.UTF8.GetBytes(json), Encoding.UTF8.GetBytes(replacement)).Select(Encoding.UTF8.GetString);

    /// <summary>For every string token of <paramref name="json"/>, the document with that token's content replaced.</summary>
    public static IEnumerable<byte[]> EachReplacedBy(byte[] json, byte[] replacement)
    {
        var contents = new List<(int Start, int Length)>();
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.PropertyName or JsonTokenType.String)
            {
                // The token starts at its opening quote; the value span is the text between the quotes, as written.
                contents.Add(((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length));
            }
        }

        contents.Should().NotBeEmpty();
        return contents.Select(content => (byte[])[.. json[..content.Start], .. replacement, .. json[(content.Start + content.Length)..]]);
    }
}
