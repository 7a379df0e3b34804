using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>The end-to-end notification scenario on the DynamoDB store (DynamoDB Local): its DynamoDB Streams relay publishes.</summary>
public sealed class NotificationDeliveryOnDynamoDbTests : NotificationDeliveryTests
{
    private readonly string _checkpointPath = StreamRelayProbe.NewCheckpointPath();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(_checkpointPath);
    }

    protected override async Task<EventStoreServerFixture> StartServerAsync(Dictionary<string, string?> configuration)
    {
        configuration["EventStore:Notifications:CheckpointPath"] = _checkpointPath;
        var server = DynamoDbServerFixture.Create(dynamoDb: null, configuration);
        await server.InitializeAsync();
        return server;
    }

    protected override Task WaitUntilPublishedAsync(EventStoreServerFixture server, TimeSpan patience) =>
        StreamRelayProbe.WaitUntilCaughtUpAsync(server, _checkpointPath, patience);
}
