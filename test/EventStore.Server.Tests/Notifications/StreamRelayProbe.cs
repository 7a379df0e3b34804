using ServerlessEventStore.Server.Storage.DynamoDb.Streams;
using ServerlessEventStore.Server.Storage.DynamoDb;
using EventStore.Testing;
using ServerlessEventStore.Client.Aws.Signing;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>Looks at the DynamoDB Streams relay of a running server from outside: its checkpoint against the stream's records.</summary>
public static class StreamRelayProbe
{
    public static string NewCheckpointPath() => Path.Combine(Path.GetTempPath(), $"eventstore-checkpoint-{Guid.NewGuid():N}.json");

    /// <summary>
    /// Waits until the checkpoint file stands at the last record of every shard of the server's table stream: everything
    /// committed before the call has been published.
    /// </summary>
    public static async Task WaitUntilCaughtUpAsync(EventStoreServerFixture server, string checkpointPath, TimeSpan patience)
    {
        var (streamArn, lastRecords) = await LastRecordsAsync(server);
        var file = new CheckpointFile(checkpointPath);
        await Poll.UntilAsync(
            () => file.Load() is { } checkpoint && checkpoint.StreamArn == streamArn
                && lastRecords.All(last => checkpoint.ProgressOf(last.Key).After == last.Value),
            patience,
            () => $"the relay publishing up to the stream's last records ({string.Join(", ", lastRecords)})");
    }

    /// <summary>
    /// The table's stream and, per shard holding records, its last record's sequence number, read with a reader of the
    /// server's kind of its own (so that it works on a server in its own process too).
    /// </summary>
    private static async Task<(string StreamArn, Dictionary<string, string> LastRecords)> LastRecordsAsync(EventStoreServerFixture server)
    {
        var fixture = (DynamoDbServerFixture)server;
        var tableName = fixture.Configuration["EventStore:DynamoDb:TableName"]!;
        using var dynamoDb = fixture.DynamoDb.CreateClient();
        var streamArn = (await dynamoDb.DescribeTableAsync(tableName)).Table.LatestStreamArn;
        using var http = new HttpClient();
        var streams = new DynamoDbStreamsClient(
            http,
            new DynamoDbStorageOptions { TableName = tableName, ServiceUrl = fixture.DynamoDb.ServiceUrl },
            new AwsCredentialSource(DynamoDbLocal.Credentials, allowPlaceholder: false, "DynamoDB Local takes any credentials."));
        var lastRecords = new Dictionary<string, string>();
        foreach (var shard in await streams.ListShardsAsync(streamArn, CancellationToken.None))
        {
            string? iterator = await streams.GetShardIteratorAsync(streamArn, shard.ShardId, null, CancellationToken.None);
            while (iterator is not null)
            {
                var page = await streams.GetRecordsAsync(iterator, 1000, CancellationToken.None);
                if (page.Records.Count == 0)
                {
                    break;
                }

                lastRecords[shard.ShardId] = page.Records[^1].SequenceNumber;
                iterator = page.NextShardIterator;
            }
        }

        return (streamArn, lastRecords);
    }
}
