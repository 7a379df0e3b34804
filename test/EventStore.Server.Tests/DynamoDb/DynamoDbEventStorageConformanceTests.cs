using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Tests.Conformance;

namespace ServerlessEventStore.Server.Tests.DynamoDb;

/// <summary>The whole conformance suite against DynamoDB Local, each test on a table of its own.</summary>
public sealed class DynamoDbEventStorageConformanceTests : EventStorageConformanceTests
{
    private DynamoDbTestTable? _table;

    protected override async Task<IEventStorage> CreateStorageAsync(TimeProvider timeProvider)
    {
        _table = await DynamoDbTestTable.CreateAsync();
        return _table.Storage(timeProvider);
    }

    protected override Task WriteStrayEventAsync(string streamType, Guid streamId, int revision, Guid eventId) =>
        _table!.Client.PutItemAsync(new PutItemRequest
        {
            TableName = _table.Name,
            Item = new Dictionary<string, AttributeValue>
            {
                ["PK"] = new() { S = streamId.ToString("D") },
                ["SK"] = new() { N = revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["RecordType"] = new() { S = "event" },
                ["StreamType"] = new() { S = streamType },
                ["EventType"] = new() { S = "stray" },
                ["EventId"] = new() { S = eventId.ToString("D") },
                ["Payload"] = new() { S = "{}" },
                ["PayloadFormat"] = new() { S = "json" },
                ["CreatedAt"] = new() { S = "2025-01-01T00:00:00.0000000Z" },
            },
        });

    protected override async Task<(IReadOnlyList<int> Revisions, int AppendRecords)> ReadStoredAsync(Guid streamId)
    {
        var revisions = new List<int>();
        var records = 0;
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var response = await _table!.Client.QueryAsync(new QueryRequest
            {
                TableName = _table.Name,
                ConsistentRead = true,
                KeyConditionExpression = "PK = :id",
                ExpressionAttributeValues = new() { [":id"] = new() { S = streamId.ToString("D") } },
                ExclusiveStartKey = startKey,
            });
            foreach (var item in response.Items)
            {
                switch (item["RecordType"].S)
                {
                    case "event":
                        revisions.Add(int.Parse(item["SK"].N, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case "append":
                        records++;
                        break;
                }
            }

            startKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (startKey is not null);

        return (revisions, records);
    }

    public override async Task DisposeAsync()
    {
        if (_table is not null)
        {
            await _table.DisposeAsync();
        }
    }
}
