using Amazon.DynamoDBv2;
using ServerlessEventStore.Server.Storage.DynamoDb.Streams;
using ServerlessEventStore.Server.Storage.DynamoDb;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

    /// <summary>The table's stream and, per shard holding records, its last record's sequence number, read through the server's own reader.</summary>
    private static async Task<(string StreamArn, Dictionary<string, string> LastRecords)> LastRecordsAsync(EventStoreServerFixture server)
    {
        var streams = server.Services.GetRequiredService<IDynamoDbStreams>();
        var tableName = server.Services.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value.TableName;
        var streamArn = (await server.Services.GetRequiredService<IAmazonDynamoDB>().DescribeTableAsync(tableName)).Table.LatestStreamArn;
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
