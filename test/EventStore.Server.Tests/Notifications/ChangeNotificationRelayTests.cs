using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessEventStore.Server.Tests.Sqlite;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// A delete's and a truncation's notifications published by both relays to SNS (fauxqs), as the stores record those
/// changes: the embedded store's outbox rows naming the change, the DynamoDB store's header written with
/// <c>LastChange</c>. Each message is the append's with <c>Change</c> (and <c>TruncatedBefore</c>) added.
/// </summary>
public sealed class ChangeNotificationRelayTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _streamType = $"t-{Guid.NewGuid():N}";
    private SnsSqsEmulator _emulator = null!;
    private string _topicArn = null!;
    private TestQueue _queue = null!;

    public async Task InitializeAsync()
    {
        _emulator = await SnsSqsEmulator.SharedAsync();
        _topicArn = await _emulator.CreateTopicAsync();
        _queue = await _emulator.SubscribeQueueAsync(_topicArn, _streamType);
    }

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task OutboxRelay_RowsOfATruncationAndADelete_PublishesTheirChangesInCommitOrder()
    {
        using var database = new TemporaryDatabase();
        var streamId = Guid.NewGuid();
        await OutboxChangeTests.OpenAsync(database.Path);
        await OutboxChangeTests.InsertAsync(database.Path, streamId, _streamType, 6, "truncated", 4);
        await OutboxChangeTests.InsertAsync(database.Path, streamId, _streamType, 6, "deleted", null);

        await using var server = await NotifyingServer.StartAsync(NotifyingServer.Configuration(_topicArn, _emulator.ServiceUrl, database.Path));
        var received = await _queue.ReceiveUntilAsync(r => r.Count >= 2, Patience);

        received.Select(message => message.Message).Should().BeEquivalentTo(
            $$"""{"StreamId":"{{streamId}}","StreamType":"{{_streamType}}","StreamRevision":"6","Change":"truncated","TruncatedBefore":"4"}""",
            $$"""{"StreamId":"{{streamId}}","StreamType":"{{_streamType}}","StreamRevision":"6","Change":"deleted"}""");
        received.Select(message => message.Notification).Should().BeEquivalentTo(new[]
        {
            new StreamNotification(streamId, _streamType, 6, StreamChange.Truncated, 4),
            new StreamNotification(streamId, _streamType, 6, StreamChange.Deleted),
        });
        await NotifyingServer.WaitUntilOutboxEmptyAsync(server, Patience);
    }

    [Fact]
    public async Task DynamoDbStreamsRelay_HeaderWrittenByATruncationThenADelete_PublishesTheChangesAfterTheAppends()
    {
        var tableName = $"t-{Guid.NewGuid():N}";
        var checkpointPath = StreamRelayProbe.NewCheckpointPath();
        var configuration = NotifyingServer.Configuration(_topicArn, _emulator.ServiceUrl);
        configuration["EventStore:Notifications:StreamRelay"] = "true";
        configuration["EventStore:DynamoDb:TableName"] = tableName;
        configuration["EventStore:Notifications:CheckpointPath"] = checkpointPath;
        await using var server = DynamoDbServerFixture.Create(dynamoDb: null, configuration);
        await server.InitializeAsync();
        var dynamoDb = server.Services.GetRequiredService<IAmazonDynamoDB>();
        try
        {
            var streamId = await NotifyingServer.CommitTwoRevisionsAsync(server, _streamType);

            // As the store writes them: a truncation sets LastChange and TruncatedBefore, a delete LastChange, Deleted and
            // DeletedAt and removes UpdatedAt (the header leaves the index).
            await UpdateHeaderAsync(dynamoDb, tableName, streamId, "SET LastChange = :change, TruncatedBefore = :first", new()
            {
                [":change"] = new AttributeValue { S = "truncated" },
                [":first"] = new AttributeValue { N = "2" },
            });
            await UpdateHeaderAsync(dynamoDb, tableName, streamId, "SET LastChange = :change, Deleted = :how, DeletedAt = :at REMOVE UpdatedAt", new()
            {
                [":change"] = new AttributeValue { S = "deleted" },
                [":how"] = new AttributeValue { S = "soft" },
                [":at"] = new AttributeValue { S = "2024-01-02T00:00:00.0000000Z" },
            });

            var received = await _queue.ReceiveUntilAsync(r => r.Count >= 4, Patience);

            received.Select(message => message.Notification).Should().BeEquivalentTo(new[]
            {
                new StreamNotification(streamId, _streamType, 1),
                new StreamNotification(streamId, _streamType, 2),
                new StreamNotification(streamId, _streamType, 2, StreamChange.Truncated, 2),
                new StreamNotification(streamId, _streamType, 2, StreamChange.Deleted),
            });
            received.Select(message => message.Message).Should().Contain(
                $$"""{"StreamId":"{{streamId}}","StreamType":"{{_streamType}}","StreamRevision":"2"}""",
                $$"""{"StreamId":"{{streamId}}","StreamType":"{{_streamType}}","StreamRevision":"2","Change":"deleted"}""");
        }
        finally
        {
            await dynamoDb.DeleteTableAsync(tableName);
            File.Delete(checkpointPath);
        }
    }

    private static async Task UpdateHeaderAsync(
        IAmazonDynamoDB dynamoDb, string tableName, Guid streamId, string update, Dictionary<string, AttributeValue> values) =>
        await dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = tableName,
            Key = new Dictionary<string, AttributeValue>
            {
                ["PK"] = new() { S = streamId.ToString() },
                ["SK"] = new() { N = "0" },
            },
            UpdateExpression = update,
            ExpressionAttributeValues = values,
        });
}
