using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// The table layout of the original service, kept exactly so that its infrastructure and notification pipe work
/// unchanged: one partition per stream (<c>PK</c> = stream id), its header at <c>SK</c> = 0 and event n at <c>SK</c> = n,
/// and the index <c>StreamIndex</c> over the headers' (<c>StreamType</c>, <c>UpdatedAt</c>). Ours beyond it: the list of
/// stream types, in a partition of its own (<see cref="StreamTypesPartition"/>), whose items carry neither of the index's
/// keys, so the index never lists them; and the
/// index <c>TypeIndex</c> over the events' (<c>StreamType</c>, <c>TypePosition</c>), the order of a stream type's events
/// that a catch-up read follows.
/// </summary>
internal static class TableLayout
{
    public const string PartitionKey = "PK";
    public const string SortKey = "SK";
    public const string RecordType = "RecordType";
    public const string StreamType = "StreamType";
    public const string StreamRevision = "StreamRevision";
    public const string UpdatedAt = "UpdatedAt";
    public const string EventType = "EventType";
    public const string Payload = "Payload";
    public const string CreatedAt = "CreatedAt";

    // Ours, beyond the original's attributes.
    public const string EventId = "EventId";
    public const string Metadata = "Metadata";
    public const string FirstRevision = "FirstRevision";
    public const string Deleted = "Deleted";
    public const string DeletedAt = "DeletedAt";
    public const string TruncatedBefore = "TruncatedBefore";

    // Set on the header by a delete or a truncation, removed by every append: what the notification pipe tells apart.
    public const string LastChange = "LastChange";
    public const string EventCount = "EventCount";

    // On our events only (not on headers, not on the original's events), so that TypeIndex holds exactly the events a
    // catch-up read delivers: "{CreatedAt}#{stream id}#{revision, 10 digits}", fixed width, ordered as strings.
    public const string TypePosition = "TypePosition";
    public const string TypeIndex = "TypeIndex";

    // Tells our payloads (raw JSON text) from the original's (a plain string, returned as a JSON string value).
    public const string PayloadFormat = "PayloadFormat";
    public const string JsonPayloadFormat = "json";

    public const string StreamRecord = "stream";
    public const string EventRecord = "event";

    // The record of an append at the end of a stream (any, stream-exists), below the header: see StreamItems.AppendRecordKey.
    public const string AppendRecord = "append";

    // A copy of the header's Deleted and TruncatedBefore above every revision (written with them), so that a read that
    // reaches the end of the stream — the last event, a backward read, the last page forward — sees them without reading
    // the header.
    public const string StateRecord = "stream-state";

    /// <summary>Sort key of the stream's state item: one past the largest revision.</summary>
    public const string StateSortKey = "2147483648";
    public const string StreamIndex = "StreamIndex";

    /// <summary>
    /// Partition of the stream types that have streams, where no stream's partition can be (stream ids are UUIDs). Its
    /// items are buckets keyed by a hash of the type (<see cref="StreamItems.StreamTypeBucket"/>), each holding the set
    /// of its types' names (<see cref="StreamTypeNames"/>), so that two types of one hash are both kept.
    /// </summary>
    public const string StreamTypesPartition = "$stream-types";
    public const string StreamTypesRecord = "stream-types";
    public const string StreamTypeNames = "StreamTypes";

    /// <summary>Sort key of the stream header.</summary>
    public const int HeaderSortKey = 0;

    /// <summary>
    /// The index of a stream type's events in <c>TypePosition</c> order, projecting every attribute so that a page of a
    /// catch-up read is one query.
    /// </summary>
    public static GlobalSecondaryIndex TypeIndexDefinition() => new()
    {
        IndexName = TypeIndex,
        KeySchema = [new KeySchemaElement(StreamType, KeyType.HASH), new KeySchemaElement(TypePosition, KeyType.RANGE)],
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };

    /// <summary>The table as the original's infrastructure defines it, with our <see cref="TypeIndex"/>, for <see cref="DynamoDbStorageOptions.CreateTable"/>.</summary>
    public static CreateTableRequest CreateTableRequest(string tableName) => new()
    {
        TableName = tableName,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            new AttributeDefinition(PartitionKey, ScalarAttributeType.S),
            new AttributeDefinition(SortKey, ScalarAttributeType.N),
            new AttributeDefinition(StreamType, ScalarAttributeType.S),
            new AttributeDefinition(UpdatedAt, ScalarAttributeType.S),
            new AttributeDefinition(TypePosition, ScalarAttributeType.S),
        ],
        KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH), new KeySchemaElement(SortKey, KeyType.RANGE)],
        GlobalSecondaryIndexes =
        [
            new GlobalSecondaryIndex
            {
                IndexName = StreamIndex,
                KeySchema = [new KeySchemaElement(StreamType, KeyType.HASH), new KeySchemaElement(UpdatedAt, KeyType.RANGE)],
                Projection = new Projection { ProjectionType = ProjectionType.INCLUDE, NonKeyAttributes = [StreamRevision] },
            },
            TypeIndexDefinition(),
        ],
        StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE },
    };
}
