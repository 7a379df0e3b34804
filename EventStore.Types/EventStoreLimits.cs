namespace ServerlessEventStore.Types;

/// <summary>
/// The limits of the event store's API, the same for the server and its clients (README, "Limits"). The payload and
/// metadata limits keep a whole event well inside a DynamoDB item (400 KB).
/// </summary>
public static class EventStoreLimits
{
    /// <summary>Most events in one append at an exact revision.</summary>
    public const int MaxEventsPerAppend = 99;

    /// <summary>
    /// Most events in one append expecting <see cref="ExpectedRevision.Any"/> or <see cref="ExpectedRevision.StreamExists"/>:
    /// one fewer, for the record of the append that makes its repeats recognisable (on DynamoDB, an item of the same
    /// transaction, which holds at most 100).
    /// </summary>
    public const int MaxEventsPerAppendAtTheEnd = MaxEventsPerAppend - 1;

    /// <summary>Largest payload of one event, in UTF-8 bytes of its JSON text.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>Largest metadata of one event, in UTF-8 bytes of its JSON text.</summary>
    public const int MaxMetadataBytes = 16 * 1024;

    /// <summary>Longest event type, in characters.</summary>
    public const int MaxEventTypeLength = 200;

    /// <summary>
    /// Deepest nesting of arrays and objects in a payload or in metadata (whose own object is the first level). Every
    /// reader and writer on the way allows <see cref="MaxDocumentDepth"/>, which leaves room for the envelopes.
    /// </summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Deepest nesting of a whole request or response body: <see cref="MaxJsonDepth"/> and its envelopes, with room to spare.</summary>
    public const int MaxDocumentDepth = 64;

    /// <summary>Largest request body, in bytes.</summary>
    public const int MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Smallest page size of a read.</summary>
    public const int MinPageSize = 1;

    /// <summary>Largest page size of a read.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Page size of a read that asks for none.</summary>
    public const int DefaultPageSize = 100;
}
