using ServerlessEventStore.Types;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// Checks a JSON value the server stores as it came (a payload, a metadata value) before it is accepted, so that every
/// later read can write it back and every reader reads the same: nested at most <see cref="EventStoreLimits.MaxJsonDepth"/>
/// levels, every string and member name valid Unicode, and no member name twice in one object. The JSON reader checks
/// none of this inside a value it keeps as raw text: it takes a lone surrogate escape (<c>"\ud800"</c>) or bytes that
/// are not UTF-8, and only writing the value back fails.
/// </summary>
internal static class JsonValueCheck
{
    /// <summary>What is wrong with <paramref name="value"/>, or <see langword="null"/> when it can be stored.</summary>
    /// <param name="value">The value as parsed from the request.</param>
    /// <param name="what">How the reason names the value, e.g. "The payload".</param>
    /// <param name="depthOffset">Levels the value already sits in (1 for a value inside the metadata object).</param>
    /// <returns>The reason, naming the limit, or <see langword="null"/>.</returns>
    public static string? FindProblem(JsonElement value, string what, int depthOffset = 0)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value), new JsonReaderOptions { MaxDepth = EventStoreLimits.MaxJsonDepth + 2 });
        // The member names of each object still open, innermost last.
        var objects = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth + depthOffset >= EventStoreLimits.MaxJsonDepth:
                        return $"{what} is nested deeper than {EventStoreLimits.MaxJsonDepth} levels of arrays and objects.";
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        objects.Pop();
                        break;
                    case JsonTokenType.String or JsonTokenType.PropertyName when !IsValidUnicode(ref reader):
                        return $"{what} holds a string that is not valid Unicode (a lone surrogate escape, or bytes that are not UTF-8).";
                    case JsonTokenType.PropertyName when !objects.Peek().Add(reader.GetString()!):
                        return $"{what} has the member '{ExactValues.Echo(reader.GetString())}' twice in one object.";
                }
            }
        }
        catch (JsonException)
        {
            // Only the depth can fail here: the text was parsed once already.
            return $"{what} is nested deeper than {EventStoreLimits.MaxJsonDepth} levels of arrays and objects.";
        }

        return null;
    }

    private static bool IsValidUnicode(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            // Unescaping checks the escapes (surrogates must pair) and transcodes the rest, which fails on invalid UTF-8.
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
