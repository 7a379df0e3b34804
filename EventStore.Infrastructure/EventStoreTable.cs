using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Constructs;
using Attribute = Amazon.CDK.AWS.DynamoDB.Attribute;

namespace EventStore.Infrastructure;

/// <summary>
/// The DynamoDB table in the layout the server expects (<c>EventStore.Server/Storage/DynamoDb/TableLayout.cs</c>, the
/// original's layout): <c>PK</c> (S, stream id) and <c>SK</c> (N: 0 = stream header, n = event n), the index
/// <c>StreamIndex</c> over the headers' (<c>StreamType</c>, <c>UpdatedAt</c>) carrying <c>StreamRevision</c>, the index
/// <c>TypeIndex</c> over the events' (<c>StreamType</c>, <c>TypePosition</c>) carrying every attribute (the read of
/// catch-up subscriptions), and a DynamoDB stream with new images for the notification pipe. The events are the system of record: the table is kept
/// when the stack is deleted or the table replaced, and point-in-time recovery is on.
/// </summary>
public sealed class EventStoreTable : Construct
{
    /// <summary>Name of the index over stream headers by type and update time.</summary>
    public const string StreamIndexName = "StreamIndex";

    /// <summary>Name of the index over events by stream type and position (time, stream, revision).</summary>
    public const string TypeIndexName = "TypeIndex";

    /// <summary>Creates the table.</summary>
    /// <param name="scope">The parent construct.</param>
    /// <param name="id">The construct id.</param>
    public EventStoreTable(Construct scope, string id)
        : base(scope, id)
    {
        Table = new Table(this, "Table", new TableProps
        {
            PartitionKey = new Attribute { Name = "PK", Type = AttributeType.STRING },
            SortKey = new Attribute { Name = "SK", Type = AttributeType.NUMBER },
            BillingMode = BillingMode.PAY_PER_REQUEST,
            Stream = StreamViewType.NEW_IMAGE,
            PointInTimeRecovery = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });
        Table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = StreamIndexName,
            PartitionKey = new Attribute { Name = "StreamType", Type = AttributeType.STRING },
            SortKey = new Attribute { Name = "UpdatedAt", Type = AttributeType.STRING },
            ProjectionType = ProjectionType.INCLUDE,
            NonKeyAttributes = ["StreamRevision"],
        });
        Table.AddGlobalSecondaryIndex(new GlobalSecondaryIndexProps
        {
            IndexName = TypeIndexName,
            PartitionKey = new Attribute { Name = "StreamType", Type = AttributeType.STRING },
            SortKey = new Attribute { Name = "TypePosition", Type = AttributeType.STRING },
            ProjectionType = ProjectionType.ALL,
        });
    }

    /// <summary>The table.</summary>
    public Table Table { get; }

    /// <summary>The ARN of <see cref="StreamIndexName"/>, the resource IAM checks for queries on the index.</summary>
    public string StreamIndexArn => $"{Table.TableArn}/index/{StreamIndexName}";

    /// <summary>The ARN of <see cref="TypeIndexName"/>, the resource IAM checks for queries on the index.</summary>
    public string TypeIndexArn => $"{Table.TableArn}/index/{TypeIndexName}";
}
