using System.Buffers;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// The checks of request values that binding can't make, against the limits every store shares. Errors go into the
/// request's <see cref="ValidationErrors"/>, keyed by the request field, so they come back as one validation problem.
/// </summary>
internal static partial class RequestValidator
{
    // Stands in for an event the request left out (already an error), so that the others keep their positions and
    // the append's rules add nothing about it.
    private static readonly EventToAppend MissingEvent = new(null, "-", "null", null);

    public static void ValidateStreamType(ValidationErrors errors, string? streamType)
    {
        if (!IsStreamType(streamType))
        {
            errors.Add("streamType", "The stream type must be 1 to 100 letters, digits, '.', '_' or '-', and not '.' or '..'.");
        }
    }

    /// <summary>The position a stream types page key names; <see langword="null"/> for none, or for a key the server did not hand out (an error then).</summary>
    public static StreamTypePageKey? ReadStreamTypePageKey(ValidationErrors errors, string field, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (StreamTypePageKey.TryDecode(text, out var key) && IsStreamType(key.StreamType))
        {
            return key;
        }

        errors.Add(field, "The page key is not one this server handed out.");
        return null;
    }

    // "." and ".." are dot segments: a URL can't address them (clients and servers remove them from paths).
    private static bool IsStreamType(string? streamType) =>
        streamType is not null && StreamTypePattern().IsMatch(streamType) && streamType is not ("." or "..");

    public static void ValidatePageSize(ValidationErrors errors, int limit)
    {
        if (limit is < EventStoreLimits.MinPageSize or > EventStoreLimits.MaxPageSize)
        {
            errors.Add("limit", $"The limit must be from {EventStoreLimits.MinPageSize} to {EventStoreLimits.MaxPageSize}.");
        }
    }

    /// <summary>
    /// The expected revision of an append to the end of a stream, from the query's <paramref name="field"/>: <c>any</c>
    /// when it is absent, else exactly one of the API's spellings (<see cref="ExpectedRevision.TryParse"/>).
    /// </summary>
    public static ExpectedRevision ReadExpectedRevision(ValidationErrors errors, IQueryCollection query, string field)
    {
        var values = query[field];
        if (values.Count == 0)
        {
            return ExpectedRevision.Any;
        }

        if (values.Count > 1)
        {
            errors.Add(field, $"'{field}' is given {values.Count} times; give it once.");
        }
        else if (!ExpectedRevision.TryParse(values[0], out var expected))
        {
            errors.Add(field, $"The expected revision must be 'any', 'stream-exists', 'no-stream' or a revision in decimal digits (no sign, spaces or leading zeros), not '{values[0]}'.");
        }
        else
        {
            return expected;
        }

        return ExpectedRevision.Any;
    }

    /// <summary>
    /// The events of an append body: either <c>event</c> or a batch <c>events</c>, never both (how many a batch may hold
    /// is <see cref="StreamAppend"/>'s rule, reported with the others).
    /// </summary>
    /// <returns>Each event with the field it came from; empty when the shape is invalid (the errors say why).</returns>
    public static List<(string Field, NewEvent? Event)> SelectEvents(ValidationErrors errors, AppendEventsRequest body)
    {
        switch (body.Event, body.Events)
        {
            case (not null, null):
                return [("event", body.Event)];
            case (not null, not null):
                errors.Add("event", "Give either 'event' or 'events', not both.");
                return [];
            case (null, null):
                errors.Add("event", "Give 'event' (one event) or 'events' (a batch).");
                return [];
            default:
                return body.Events.Select((e, i) => ($"events[{i}]", (NewEvent?)e)).ToList();
        }
    }

    /// <summary>
    /// Reads the events of an append for the store, checking what only the request can tell: every event given, a
    /// payload given, payload and metadata JSON that can be stored and read back (<see cref="JsonValueCheck"/>). The
    /// rules of the append itself (counts, ids, sizes) are <see cref="StreamAppend"/>'s.
    /// </summary>
    /// <returns>
    /// One event per request event, in order, also for those with errors (a missing one as an empty event), so that the
    /// append's own rules are checked too and every problem of the request is reported at once.
    /// </returns>
    public static List<EventToAppend> ReadEvents(ValidationErrors errors, IReadOnlyList<(string Field, NewEvent? Event)> events)
    {
        var read = new List<EventToAppend>(events.Count);
        foreach (var (field, newEvent) in events)
        {
            if (newEvent is null)
            {
                errors.Add(field, "The event is required.");
                read.Add(MissingEvent);
                continue;
            }

            // JSON null is a payload like any other; only a missing payload is an error. A payload or metadata at fault
            // is not read on (its text may not even be text): the append's rules see a stand-in.
            var payloadReadable = false;
            if (newEvent.Payload.ValueKind == JsonValueKind.Undefined)
            {
                errors.Add($"{field}.payload", "The payload is required.");
            }
            else if (JsonValueCheck.FindProblem(newEvent.Payload, "The payload") is { } payloadProblem)
            {
                errors.Add($"{field}.payload", payloadProblem);
            }
            else
            {
                payloadReadable = true;
            }

            var metadataReadable = true;
            if (FindMetadataProblem(newEvent.Metadata) is { } metadataProblem)
            {
                errors.Add($"{field}.metadata", metadataProblem);
                metadataReadable = false;
            }

            read.Add(new EventToAppend(
                newEvent.EventId,
                newEvent.EventType ?? string.Empty,
                payloadReadable ? newEvent.Payload.GetRawText() : MissingEvent.PayloadJson,
                newEvent.Metadata is null || !metadataReadable ? null : MetadataText(newEvent.Metadata)));
        }

        return read;
    }

    /// <summary>
    /// Adds the problems of an append to <paramref name="errors"/>, each under the request field it is about:
    /// <paramref name="fields"/> name the request's events in order, and the expected revision is
    /// <paramref name="revisionField"/>. A request whose only problems are sizes is answered 413 instead (the first size
    /// problem says why); one with any other problem gets a 400 naming all of them, sizes included.
    /// </summary>
    /// <param name="errors">The request's errors so far.</param>
    /// <param name="problems">The append's problems.</param>
    /// <param name="fields">The request's names of its events.</param>
    /// <param name="revisionField">The request's name of the expected revision.</param>
    /// <param name="revisionGiven">Whether the request gave <paramref name="revisionField"/> (then it was checked in its own terms already).</param>
    /// <returns>The detail of the 413, or <see langword="null"/> when <paramref name="errors"/> hold the problems.</returns>
    public static string? MapProblems(
        ValidationErrors errors, IReadOnlyList<AppendProblem> problems, IReadOnlyList<string> fields, string revisionField, bool revisionGiven)
    {
        if (errors.IsValid && problems.Count > 0 && problems.All(problem => problem.IsTooLarge))
        {
            return problems[0].Message;
        }

        foreach (var problem in problems)
        {
            var field = RequestField(problem.Field, fields, revisionField);

            // The request's revision was checked in its own terms already; the expected revision it implies says no more.
            if (field == revisionField && revisionGiven)
            {
                continue;
            }

            errors.Add(field, problem.Message);
        }

        return null;
    }

    private static string RequestField(string field, IReadOnlyList<string> fields, string revisionField)
    {
        if (field == "expectedRevision")
        {
            return revisionField;
        }

        // "events[3].eventId" → the request's own name of event 3, e.g. "event.eventId".
        if (field.StartsWith("events[", StringComparison.Ordinal) && field.IndexOf(']', StringComparison.Ordinal) is var end and > 7
            && int.TryParse(field.AsSpan(7, end - 7), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && index < fields.Count)
        {
            return fields[index] + field[(end + 1)..];
        }

        return fields.Count == 1 ? fields[0] : field;
    }

    private static string? FindMetadataProblem(IReadOnlyDictionary<string, JsonElement>? metadata)
    {
        foreach (var (_, value) in metadata ?? ReadOnlyDictionary<string, JsonElement>.Empty)
        {
            // The metadata object is the first level of nesting.
            if (JsonValueCheck.FindProblem(value, "The metadata", depthOffset: 1) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    /// <summary>The metadata object as stored: each value exactly as sent, the member names as JSON strings.</summary>
    private static string MetadataText(IReadOnlyDictionary<string, JsonElement> metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in metadata)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(value), skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex StreamTypePattern();
}
