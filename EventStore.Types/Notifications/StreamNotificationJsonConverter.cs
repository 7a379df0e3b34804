using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EventStore.Types;

/// <summary>
/// The original's notification JSON: revision written as a string, read as a string or a number, member names matched
/// case-insensitively (as Go's encoding/json does), unknown members ignored. Every problem is named, all at once.
/// </summary>
internal sealed class StreamNotificationJsonConverter : JsonConverter<StreamNotification>
{
    private const string StreamIdName = "StreamId";
    private const string StreamTypeName = "StreamType";
    private const string StreamRevisionName = "StreamRevision";

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
        var streamRevision = ReadStreamRevision(element, problems);
        if (problems.Count > 0)
        {
            throw new NotificationFormatException($"Not a stream notification: {string.Join("; ", problems)}.", messageId);
        }

        return new StreamNotification(streamId, streamType!, streamRevision);
    }

    internal static bool TryGetMember(JsonElement element, string name, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }

    private static Guid ReadStreamId(JsonElement element, List<string> problems)
    {
        if (!TryGetMember(element, StreamIdName, out var value))
        {
            problems.Add($"{StreamIdName} is missing");
        }
        else if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{StreamIdName} must be a string, not {Describe(value.ValueKind)}");
        }
        else if (!Guid.TryParse(value.GetString(), out var streamId))
        {
            problems.Add($"{StreamIdName} '{Truncate(value.GetString())}' is not a UUID");
        }
        else
        {
            return streamId;
        }

        return Guid.Empty;
    }

    private static string? ReadStreamType(JsonElement element, List<string> problems)
    {
        if (!TryGetMember(element, StreamTypeName, out var value))
        {
            problems.Add($"{StreamTypeName} is missing");
        }
        else if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"{StreamTypeName} must be a string, not {Describe(value.ValueKind)}");
        }
        else if (string.IsNullOrWhiteSpace(value.GetString()))
        {
            problems.Add($"{StreamTypeName} is empty");
        }
        else
        {
            return value.GetString();
        }

        return null;
    }

    private static int ReadStreamRevision(JsonElement element, List<string> problems)
    {
        if (!TryGetMember(element, StreamRevisionName, out var value))
        {
            problems.Add($"{StreamRevisionName} is missing");
            return 0;
        }

        var revision = value.ValueKind switch
        {
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Number when value.TryGetInt32(out var number) => number,
            _ => 0,
        };
        if (revision < 1)
        {
            problems.Add($"{StreamRevisionName} {Truncate(value.GetRawText())} is not a positive integer");
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

    private static string? Truncate(string? text) => text is { Length: > 80 } ? text[..80] + "…" : text;
}
