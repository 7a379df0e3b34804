using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// The table layout of the original service, kept exactly so that its infrastructure and notification pipe work
/// unchanged: one partition per stream (<c>PK</c> = stream id), its header at <c>SK</c> = 0 and event n at <c>SK</c> = n,
/// and the index <c>StreamIndex</c> over the headers' (<c>StreamType</c>, <c>UpdatedAt</c>). Beyond the original: the
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

    // On our events only (not on headers, not on the original's events), so that TypeIndex holds exactly the events a
    // catch-up read delivers: "{CreatedAt}#{stream id}#{revision, 10 digits}", fixed width, ordered as strings.
    public const string TypePosition = "TypePosition";
    public const string TypeIndex = "TypeIndex";

    // Tells our payloads (raw JSON text) from the original's (a plain string, returned as a JSON string value).
    public const string PayloadFormat = "PayloadFormat";
    public const string JsonPayloadFormat = "json";

    public const string StreamRecord = "stream";
    public const string EventRecord = "event";
    public const string StreamIndex = "StreamIndex";

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
