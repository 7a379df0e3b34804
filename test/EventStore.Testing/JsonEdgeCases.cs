using System.Text;

namespace EventStore.Testing;

/// <summary>
/// The extremes of what the API accepts as a payload or metadata (README, "Limits"): the deepest nesting, every kind of
/// character and escape, the longest string. Each must be stored and read back exactly as sent.
/// </summary>
public static class JsonEdgeCases
{
    /// <summary>The deepest nesting a payload or metadata may have.</summary>
    public const int MaxDepth = 32;

    /// <summary>A payload of <paramref name="depth"/> nested arrays and objects, alternating, around a number.</summary>
    /// <param name="depth">How many levels.</param>
    /// <returns>The JSON text.</returns>
    public static string Nested(int depth)
    {
        var text = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            text.Append(level % 2 == 0 ? "[" : "{\"k\":");
        }

        text.Append('1');
        for (var level = depth - 1; level >= 0; level--)
        {
            text.Append(level % 2 == 0 ? "]" : "}");
        }

        return text.ToString();
    }

    /// <summary>Metadata whose values reach <see cref="MaxDepth"/> in all (its own object is the first level).</summary>
    public static string DeepestMetadata { get; } = $$"""{"deep":{{Nested(MaxDepth - 1)}}}""";

    /// <summary>
    /// A payload holding every kind of character as raw UTF-8 (1 to 4 bytes, line and paragraph separators, C1
    /// controls, noncharacters, the byte order mark, the last code point) and every escape JSON has (the short ones,
    /// control characters, surrogate pairs in either case), in values and member names, with white space kept.
    /// </summary>
    public static string WidestStrings { get; } =
        "{ \"raw\" : \"a é € 中 😀 \U0010FFFF \u2028 \u2029 \u0085 \u007f \uFEFF \uFFFD \uFFFF <script>&'\", " +
        "\"escaped\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u001F \\u007f \\u00e9 \\uFFFF \\ud83d\\ude00 \\uDBFF\\uDFFF\",\n" +
        "  \"\\u00e9\\ud83d\\ude00 key 😀\" : [ 1.50e3 , -0 , true , null , \"\" ] }";

    /// <summary>One string as long as the payload limit (256 KB of UTF-8) allows, of 4-byte characters.</summary>
    public static string LongestString { get; } = "\"" + string.Concat(Enumerable.Repeat("😀", ((256 * 1024) - 2) / 4)) + "\"";
}
