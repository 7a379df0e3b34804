using System.Buffers;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Types;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ServerlessEventStore.Server.Api;

/// <summary>
/// The checks of request values that model binding can't make, against the limits every store shares. Errors go into
/// the model state, keyed by the request field, so they come back as one validation problem.
/// </summary>
internal static partial class RequestValidator
{
    public static void ValidateStreamType(ModelStateDictionary errors, string? streamType)
    {
        // "." and ".." are dot segments: a URL can't address them (clients and servers remove them from paths).
        if (streamType is null || !StreamTypePattern().IsMatch(streamType) || streamType is "." or "..")
        {
            errors.AddModelError("streamType", "The stream type must be 1 to 100 letters, digits, '.', '_' or '-', and not '.' or '..'.");
        }
    }

    public static void ValidatePageSize(ModelStateDictionary errors, int limit)
    {
        if (limit is < StorageLimits.MinPageSize or > StorageLimits.MaxPageSize)
        {
            errors.AddModelError("limit", $"The limit must be from {StorageLimits.MinPageSize} to {StorageLimits.MaxPageSize}.");
        }
    }

    /// <summary>The events of an append body: either <c>event</c> or a batch <c>events</c> of 1 to 99, never both.</summary>
    /// <returns>Each event with the field it came from; empty when the shape is invalid (the errors say why).</returns>
    public static List<(string Field, NewEvent? Event)> SelectEvents(ModelStateDictionary errors, AppendEventsRequest body)
    {
        switch (body.Event, body.Events)
        {
            case (not null, null):
                return [("event", body.Event)];
            case (not null, not null):
                errors.AddModelError("event", "Give either 'event' or 'events', not both.");
                return [];
            case (null, null):
                errors.AddModelError("event", "Give 'event' (one event) or 'events' (a batch).");
                return [];
            case (null, { Count: 0 or > StorageLimits.MaxEventsPerAppend }):
                errors.AddModelError("events", $"A batch holds 1 to {StorageLimits.MaxEventsPerAppend} events.");
                return [];
            default:
                return body.Events.Select((e, i) => ($"events[{i}]", (NewEvent?)e)).ToList();
        }
    }

    /// <summary>Checks the events of an append and converts them for the store.</summary>
    /// <returns>The events, or an empty list when they are invalid (the errors say why).</returns>
    public static List<EventToAppend> ValidateEvents(ModelStateDictionary errors, IReadOnlyList<(string Field, NewEvent? Event)> events)
    {
        var valid = new List<EventToAppend>(events.Count);
        var seenIds = new HashSet<Guid>();
        foreach (var (field, newEvent) in events)
        {
            if (newEvent is null)
            {
                errors.AddModelError(field, "The event is required.");
                continue;
            }

            if (string.IsNullOrEmpty(newEvent.EventType))
            {
                errors.AddModelError($"{field}.eventType", "The event type is required.");
            }
            else if (newEvent.EventType.Length > StorageLimits.MaxEventTypeLength)
            {
                errors.AddModelError($"{field}.eventType", $"The event type must be at most {StorageLimits.MaxEventTypeLength} characters.");
            }

            // JSON null is a payload like any other; only a missing payload is an error.
            if (newEvent.Payload.ValueKind == JsonValueKind.Undefined)
            {
                errors.AddModelError($"{field}.payload", "The payload is required.");
            }
            else if (JsonValueCheck.FindProblem(newEvent.Payload, "The payload") is { } payloadProblem)
            {
                errors.AddModelError($"{field}.payload", payloadProblem);
            }

            if (FindMetadataProblem(newEvent.Metadata) is { } metadataProblem)
            {
                errors.AddModelError($"{field}.metadata", metadataProblem);
            }

            if (newEvent.EventId is { } eventId && !seenIds.Add(eventId))
            {
                errors.AddModelError($"{field}.eventId", "Event ids must be unique within an append.");
            }

            if (errors.IsValid)
            {
                valid.Add(new EventToAppend(
                    newEvent.EventId,
                    newEvent.EventType,
                    newEvent.Payload.GetRawText(),
                    newEvent.Metadata is null ? null : MetadataText(newEvent.Metadata)));
            }
        }

        return errors.IsValid ? valid : [];
    }

    /// <summary>
    /// Why the events are too large to store: a payload or metadata over its size limit, measured as the UTF-8 length of
    /// its JSON text. Together the limits keep every event inside a DynamoDB item.
    /// </summary>
    /// <returns>The reason, or <see langword="null"/> when every event fits.</returns>
    public static string? FindOversizedEvent(IReadOnlyList<EventToAppend> events)
    {
        if (events.Any(e => Encoding.UTF8.GetByteCount(e.PayloadJson) > StorageLimits.MaxPayloadBytes))
        {
            return $"An event payload is larger than {StorageLimits.MaxPayloadBytes / 1024} KB.";
        }

        return events.Any(e => e.MetadataJson is { } metadata && Encoding.UTF8.GetByteCount(metadata) > StorageLimits.MaxMetadataBytes)
            ? $"An event's metadata is larger than {StorageLimits.MaxMetadataBytes / 1024} KB."
            : null;
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
