namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// Limits every adapter and the API share. The payload and metadata limits keep a whole event well inside a DynamoDB
/// item (400 KB).
/// </summary>
public static class StorageLimits
{
    /// <summary>Most events in one append.</summary>
    public const int MaxEventsPerAppend = 99;

    /// <summary>Largest payload of one event, in UTF-8 bytes of its JSON text.</summary>
    public const int MaxPayloadBytes = 256 * 1024;

    /// <summary>Largest metadata of one event, in UTF-8 bytes of its JSON text.</summary>
    public const int MaxMetadataBytes = 16 * 1024;

    /// <summary>
    /// Deepest nesting of arrays and objects in a payload or in metadata (whose own object is the first level). Every
    /// reader and writer on the way (request parsing, storage, responses, the client) allows <see cref="MaxDocumentDepth"/>,
    /// which leaves room for the envelopes around the value.
    /// </summary>
    public const int MaxJsonDepth = 32;

    /// <summary>Deepest nesting of a whole request or response body: <see cref="MaxJsonDepth"/> and its envelopes, with room to spare.</summary>
    public const int MaxDocumentDepth = 64;

    /// <summary>Largest request body, in bytes.</summary>
    public const int MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>Longest event type.</summary>
    public const int MaxEventTypeLength = 200;

    /// <summary>Smallest page size.</summary>
    public const int MinPageSize = 1;

    /// <summary>Largest page size.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>Page size when the caller gives none.</summary>
    public const int DefaultPageSize = 100;
}
