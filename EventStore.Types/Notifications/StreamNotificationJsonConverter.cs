using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessEventStore.Types;

/// <summary>
/// The original's notification JSON: revision written as a string, read as a string or a number, member names matched
/// case-insensitively (as Go's encoding/json does), unknown members ignored. Every problem is named, all at once. A
/// change other than an append adds <c>Change</c> (and, for a truncation, <c>TruncatedBefore</c>, a revision like
/// <c>StreamRevision</c>); an append writes neither, so its message is the original's byte for byte.
/// </summary>
/// <remarks>
/// JSON can spell strings that are no text: an escaped lone surrogate (<c>"\ud800"</c>) or, in UTF-8 input, invalid
/// bytes. System.Text.Json parses them and throws only when they are read or compared, so every lookup of a member and
/// every read of a name or a string goes through <see cref="TryGetMember"/>, <see cref="TryGetName"/> and
/// <see cref="TryGetText"/>, which make them a problem of the message rather than an exception.
/// </remarks>
internal sealed class StreamNotificationJsonConverter : JsonConverter<StreamNotification>
{
    private const string StreamIdName = "StreamId";
    private const string StreamTypeName = "StreamType";
    private const string StreamRevisionName = "StreamRevision";
    private const string ChangeName = "Change";
    private const string TruncatedBeforeName = "TruncatedBefore";

    public override StreamNotification Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return FromElement(document.RootElement, messageId: null);
    }

    public override void Write(Utf8JsonWriter writer, StreamNotification value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(StreamIdName, value.StreamId);
        writer.WriteString(StreamTypeName, value.StreamType);
        writer.WriteString(StreamRevisionName, value.StreamRevision.ToString(CultureInfo.InvariantCulture));
        if (value.Change != StreamChange.Appended)
        {
            writer.WriteString(ChangeName, value.Change.Name);
        }

        if (value.TruncatedBefore is { } truncatedBefore)
        {
            writer.WriteString(TruncatedBeforeName, truncatedBefore.ToString(CultureInfo.InvariantCulture));
        }

        writer.WriteEndObject();
    }

    internal static StreamNotification FromElement(JsonElement element, string? messageId)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new NotificationFormatException($"A stream notification must be a JSON object, not {Describe(element.ValueKind)}.", messageId);
        }

        var problems = new List<string>();
        var streamId = ReadStreamId(element, problems);
        var streamType = ReadStreamType(element, problems);
        var streamRevision = ReadRevision(element, StreamRevisionName, problems);
        var change = ReadChange(element, problems);
        int? truncatedBefore = change == StreamChange.Truncated ? ReadRevision(element, TruncatedBeforeName, problems) : null;
        if (problems.Count > 0)
        {
            throw new NotificationFormatException($"Not a stream notification: {string.Join("; ", problems)}.", messageId);
        }

        return new StreamNotification(streamId, streamType!, streamRevision, change, truncatedBefore);
    }

    /// <summary>
    /// Finds the member <paramref name="name"/>, by default case-insensitively; a member whose name is no text is some
    /// unknown member, and unknown members are ignored.
    /// </summary>
    internal static bool TryGetMember(
        JsonElement element, string name, out JsonElement value, StringComparison comparison = StringComparison.OrdinalIgnoreCase)
    {
        try
        {
            if (element.TryGetProperty(name, out value))
            {
                return true;
            }

            if (comparison == StringComparison.Ordinal)
            {
                return false;
            }
        }
        catch (InvalidOperationException)
        {
            // Comparing with a name that is no text throws; the scan below skips such names.
        }

        foreach (var property in element.EnumerateObject())
        {
            if (TryGetName(property, out var propertyName) && string.Equals(propertyName, name, comparison))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Reads the string <paramref name="value"/>; false when it is no text (a lone surrogate, invalid UTF-8).</summary>
    internal static bool TryGetText(JsonElement value, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = value.GetString();
            return text is not null;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    /// <summary>Reads the name of <paramref name="property"/>; false when it is no text.</summary>
    internal static bool TryGetName(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = null;
            return false;
        }
    }

    private static Guid ReadStreamId(JsonElement element, List<string> problems)
    {
        var text = ReadText(element, StreamIdName, problems);
        if (text is null)
        {
            return Guid.Empty;
        }

        if (!Guid.TryParse(text, out var streamId))
        {
            problems.Add($"{StreamIdName} '{Truncate(text)}' is not a UUID");
        }

        return streamId;
    }

    private static string? ReadStreamType(JsonElement element, List<string> problems)
    {
        var text = ReadText(element, StreamTypeName, problems);
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            problems.Add($"{StreamTypeName} is empty");
            return null;
        }

        return text;
    }

    /// <summary>The string member <paramref name="name"/>; null, with the problem noted, when it is missing, no string or no text.</summary>
    private static string? ReadText(JsonElement element, string name, List<string> problems)
    {
        if (!TryGetMember(element, name, out var value))
        {
            problems.Add($"{name} is missing");
        }
        else if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{name} must be a string, not {Describe(value.ValueKind)}");
        }
        else if (!TryGetText(value, out var text))
        {
            problems.Add($"{name} is not valid Unicode text");
        }
        else
        {
            return text;
        }

        return null;
    }

    /// <summary>
    /// The member <c>Change</c>: absent or null for an append (the original's notifications have none); any other text is
    /// a change, known or not, so a newer server's changes reach the consumer by name rather than failing the message.
    /// </summary>
    private static StreamChange ReadChange(JsonElement element, List<string> problems)
    {
        if (!TryGetMember(element, ChangeName, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return StreamChange.Appended;
        }

        var text = ReadText(element, ChangeName, problems);
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            problems.Add($"{ChangeName} is empty");
            return StreamChange.Appended;
        }

        return text is null ? StreamChange.Appended : new StreamChange(text);
    }

    /// <summary>The revision member <paramref name="name"/>: a positive integer, as a string or a number.</summary>
    private static int ReadRevision(JsonElement element, string name, List<string> problems)
    {
        if (!TryGetMember(element, name, out var value))
        {
            problems.Add($"{name} is missing");
            return 0;
        }

        var revision = value.ValueKind switch
        {
            JsonValueKind.String when TryGetText(value, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            _ => 0,
        };
        if (revision < 1)
        {
            problems.Add($"{name} {Truncate(RawText(value))} is not a positive integer");
        }

        return revision;
    }

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>The value as written; invalid UTF-8 in it (which <see cref="JsonElement.GetRawText"/> throws on) shown as U+FFFD.</summary>
    private static string RawText(JsonElement value) => Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(value));

    private static string? Truncate(string? text) => text is { Length: > 80 } ? text[..80] + "…" : text;
}
