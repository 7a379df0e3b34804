using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Converts between the items of <see cref="TableLayout"/> and the storage port's models. Reads both the items this server
/// writes and those the original Go service wrote (payload a plain string, no event id, no stream type on events,
/// RFC 3339 times).
/// </summary>
internal static class StreamItems
{
    // Fixed width, so that the index orders headers by time as it orders strings, and 7 digits so that ticks round-trip.
    private const string TimeFormat = "yyyy-MM-ddTHH:mm:ss.fffffffZ";

    /// <summary>
    /// Adds a stream type to the set of its item (<see cref="StreamTypeValues"/>), creating the item: no condition, so it
    /// can't fail an append, and repeating it changes nothing.
    /// </summary>
    public const string AddStreamType = "SET RecordType = :record ADD StreamTypes :streamType";

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>
    /// The key of a checkpoint in <see cref="TableLayout.TypeIndex"/>: the <see cref="TableLayout.TypePosition"/> of the
    /// event it names, or for <see cref="EventCheckpoint.End"/> one after every event of its time (the largest stream id
    /// and revision).
    /// </summary>
    public static string TypePosition(EventCheckpoint checkpoint) =>
        TypePosition(FormatTime(new DateTimeOffset(checkpoint.Position, TimeSpan.Zero)), checkpoint.StreamId, checkpoint.Revision);

    /// <summary>The checkpoint after the event in <paramref name="item"/> (an event of <see cref="TableLayout.TypeIndex"/>).</summary>
    public static EventCheckpoint CheckpointOf(Dictionary<string, AttributeValue> item, Guid streamId) =>
        new(ParseTime(item[TableLayout.CreatedAt].S).UtcTicks, streamId, SortKeyOf(item));

    private static string TypePosition(string time, Guid streamId, int revision) =>
        string.Create(CultureInfo.InvariantCulture, $"{time}#{StreamKey(streamId)}#{revision:D10}");

    public static string StreamKey(Guid streamId) => streamId.ToString("D");

    public static AttributeValue String(string value) => new() { S = value };

    public static AttributeValue Number(int value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static Dictionary<string, AttributeValue> Key(Guid streamId, int sortKey) => new()
    {
        [TableLayout.PartitionKey] = String(StreamKey(streamId)),
        [TableLayout.SortKey] = Number(sortKey),
    };

    /// <summary>
    /// The sort key of the item listing <paramref name="streamType"/>: the first 63 bits of its SHA-256, the same in every
    /// process and version, so that every writer of a type updates the same item.
    /// </summary>
    public static long StreamTypeBucket(string streamType) =>
        (long)(BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(streamType))) >> 1);

    /// <summary>The key of the item listing <paramref name="streamType"/>.</summary>
    public static Dictionary<string, AttributeValue> StreamTypeKey(string streamType) => new()
    {
        [TableLayout.PartitionKey] = String(TableLayout.StreamTypesPartition),
        [TableLayout.SortKey] = Number(StreamTypeBucket(streamType)),
    };

    /// <summary>The values of <see cref="AddStreamType"/>.</summary>
    public static Dictionary<string, AttributeValue> StreamTypeValues(string streamType) => new()
    {
        [":record"] = String(TableLayout.StreamTypesRecord),
        [":streamType"] = new() { SS = [streamType] },
    };

    /// <summary>The stream types an item of <see cref="TableLayout.StreamTypesPartition"/> holds, in ordinal order.</summary>
    public static IEnumerable<string> StreamTypesOf(Dictionary<string, AttributeValue> item) =>
        (item.TryGetValue(TableLayout.StreamTypeNames, out var names) ? names.SS ?? [] : []).Order(StringComparer.Ordinal);

    public static long BucketOf(Dictionary<string, AttributeValue> item) =>
        long.Parse(item[TableLayout.SortKey].N, NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static Dictionary<string, AttributeValue> Header(StreamAppend append, string now)
    {
        var item = Key(append.StreamId, TableLayout.HeaderSortKey);
        item[TableLayout.RecordType] = String(TableLayout.StreamRecord);
        item[TableLayout.StreamType] = String(append.StreamType);
        item[TableLayout.StreamRevision] = Number(append.LastRevision);
        item[TableLayout.UpdatedAt] = String(now);
        return item;
    }

    public static Dictionary<string, AttributeValue> Event(StreamAppend append, int index, string now)
    {
        var next = append.Events[index];
        var item = Key(append.StreamId, append.FirstRevision + index);
        item[TableLayout.RecordType] = String(TableLayout.EventRecord);
        // On events too, so that a page of events tells the stream's type without reading the header.
        item[TableLayout.StreamType] = String(append.StreamType);
        item[TableLayout.EventType] = String(next.EventType);
        item[TableLayout.Payload] = String(next.PayloadJson);
        item[TableLayout.PayloadFormat] = String(TableLayout.JsonPayloadFormat);
        item[TableLayout.CreatedAt] = String(now);
        item[TableLayout.TypePosition] = String(TypePosition(now, append.StreamId, append.FirstRevision + index));
        if (next.EventId is { } eventId)
        {
            item[TableLayout.EventId] = String(eventId.ToString("D"));
        }

        if (next.MetadataJson is { } metadata)
        {
            item[TableLayout.Metadata] = String(metadata);
        }

        return item;
    }

    /// <summary>
    /// The key of the record of an append at the end of a stream whose first event has <paramref name="firstEventId"/>:
    /// in the stream's partition, at a negative sort key made of the id's first 120 bits (a number has 38 digits; 2^120
    /// has 37), below the header and the events, so that no read of them meets it. Two ids share a key with a chance of
    /// 2^-120 per pair of first ids in one stream; the record keeps the whole id, for whoever reads the table.
    /// </summary>
    public static Dictionary<string, AttributeValue> AppendRecordKey(Guid streamId, Guid firstEventId)
    {
        var bits = new BigInteger(firstEventId.ToByteArray(bigEndian: true).AsSpan(0, 15), isUnsigned: true, isBigEndian: true);
        return new()
        {
            [TableLayout.PartitionKey] = String(StreamKey(streamId)),
            [TableLayout.SortKey] = new AttributeValue { N = (-(bits + 1)).ToString(CultureInfo.InvariantCulture) },
        };
    }

    /// <summary>The record of <paramref name="append"/>, anchored: where it lands.</summary>
    public static Dictionary<string, AttributeValue> AppendRecord(StreamAppend append)
    {
        var item = AppendRecordKey(append.StreamId, append.FirstEventId!.Value);
        item[TableLayout.RecordType] = String(TableLayout.AppendRecord);
        item[TableLayout.EventId] = String(append.FirstEventId.Value.ToString("D"));
        item[TableLayout.FirstRevision] = Number(append.FirstRevision);
        item[TableLayout.EventCount] = Number(append.Events.Count);
        return item;
    }

    /// <summary>The append record in <paramref name="item"/>, or <see langword="null"/> when there is none.</summary>
    public static AppendRecord? ToAppendRecord(Dictionary<string, AttributeValue>? item) =>
        item is null || item.Count == 0 ? null : new AppendRecord(IntOf(item, TableLayout.FirstRevision), IntOf(item, TableLayout.EventCount));

    /// <summary>The header in <paramref name="item"/>, or <see langword="null"/> when there is none.</summary>
    public static StreamHeader? ToHeader(Dictionary<string, AttributeValue>? item) =>
        item is null || item.Count == 0
            ? null
            : new StreamHeader(
                item[TableLayout.StreamType].S,
                IntOf(item, TableLayout.StreamRevision),
                // A deleted stream's header has left the index StreamIndex: its time is when it was deleted.
                ParseTime((item.TryGetValue(TableLayout.UpdatedAt, out var updated) ? updated : item[TableLayout.DeletedAt]).S),
                DeletedOf(item),
                item.TryGetValue(TableLayout.TruncatedBefore, out var before) ? IntOf(item, TableLayout.TruncatedBefore) : 0);

    /// <summary>How the stream of a header or state item was deleted, or <see langword="null"/>.</summary>
    public static DeleteMode? DeletedOf(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue(TableLayout.Deleted, out var deleted) ? Enum.Parse<DeleteMode>(deleted.S, ignoreCase: true) : null;

    /// <summary>Whether <paramref name="item"/> is a stream's state item (<see cref="TableLayout.StateSortKey"/>).</summary>
    public static bool IsState(Dictionary<string, AttributeValue> item) => item[TableLayout.SortKey].N == TableLayout.StateSortKey;

    /// <summary>The state item of a stream with <paramref name="header"/>: its deletion and truncation, above every revision.</summary>
    public static Dictionary<string, AttributeValue> State(Guid streamId, StreamHeader header)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [TableLayout.PartitionKey] = String(StreamKey(streamId)),
            [TableLayout.SortKey] = new AttributeValue { N = TableLayout.StateSortKey },
            [TableLayout.RecordType] = String(TableLayout.StateRecord),
            [TableLayout.StreamType] = String(header.StreamType),
            [TableLayout.TruncatedBefore] = Number(header.TruncatedBefore),
        };
        if (header.Deleted is { } deleted)
        {
            item[TableLayout.Deleted] = String(DeleteModeText(deleted));
        }

        return item;
    }

    public static string DeleteModeText(DeleteMode mode) => mode == DeleteMode.Hard ? "hard" : "soft";

    /// <summary>A stream from a header, as the table or the index <c>StreamIndex</c> returns it.</summary>
    public static StreamDetails ToStreamDetails(Dictionary<string, AttributeValue> item) => new(
        IntOf(item, TableLayout.StreamRevision),
        Guid.Parse(item[TableLayout.PartitionKey].S, CultureInfo.InvariantCulture),
        item[TableLayout.StreamType].S,
        ParseTime(item[TableLayout.UpdatedAt].S));

    public static RecordedEvent ToEvent(Dictionary<string, AttributeValue> item, Guid streamId)
    {
        var payload = item[TableLayout.Payload].S;
        return new RecordedEvent(
            createdAt: ParseTime(item[TableLayout.CreatedAt].S),
            eventId: EventIdOf(item),
            eventType: item[TableLayout.EventType].S,
            metadata: item.TryGetValue(TableLayout.Metadata, out var metadata)
                ? StoredJson.Metadata(metadata.S)
                : null,
            payload: item.TryGetValue(TableLayout.PayloadFormat, out var format) && format.S == TableLayout.JsonPayloadFormat
                ? StoredJson.Payload(payload)
                : StoredJson.TextPayload(payload),
            revision: SortKeyOf(item),
            streamId: streamId);
    }

    public static int SortKeyOf(Dictionary<string, AttributeValue> item) => IntOf(item, TableLayout.SortKey);

    /// <summary>The stream type an item carries; <see langword="null"/> on events written by the original service.</summary>
    public static string? StreamTypeOf(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue(TableLayout.StreamType, out var type) ? type.S : null;

    public static Guid? EventIdOf(Dictionary<string, AttributeValue> item) =>
        item.TryGetValue(TableLayout.EventId, out var id) ? Guid.Parse(id.S, CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// An upper bound of the item's size as DynamoDB counts it against its limits: the UTF-8 lengths of the attribute
    /// names and string values, and for numbers their text length (more than the at most 21 bytes DynamoDB stores).
    /// </summary>
    public static long SizeOf(Dictionary<string, AttributeValue> item) =>
        item.Sum(attribute => (long)Encoding.UTF8.GetByteCount(attribute.Key) + attribute.Value switch
        {
            { S: { } text } => Encoding.UTF8.GetByteCount(text),
            { N: { } number } => number.Length + 1,
            _ => 0,
        });

    private static int IntOf(Dictionary<string, AttributeValue> item, string name) =>
        int.Parse(item[name].N, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
