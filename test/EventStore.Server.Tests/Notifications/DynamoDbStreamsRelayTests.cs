using Amazon.DynamoDBv2;
using ServerlessEventStore.Client;
using ServerlessEventStore.Server.Storage.DynamoDb.Streams;
using EventStore.Testing;
using EventStore.Testing.Proxies;
using ServerlessEventStore.Types;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// The DynamoDB Streams relay of the DynamoDB store (DynamoDB Local, fauxqs) across restarts and faults: appends
/// committed while SNS was unreachable are published by the next server, a restart after publishing repeats nothing,
/// expired iterators and trimmed positions are recovered from, and a burst arrives complete.
/// </summary>
public sealed class DynamoDbStreamsRelayTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _streamType = $"t-{Guid.NewGuid():N}";
    private readonly string _tableName = $"t-{Guid.NewGuid():N}";
    private readonly string _checkpointPath = StreamRelayProbe.NewCheckpointPath();
    private SnsSqsEmulator _emulator = null!;
    private string _topicArn = null!;
    private TestQueue _queue = null!;

    public async Task InitializeAsync()
    {
        _emulator = await SnsSqsEmulator.SharedAsync();
        _topicArn = await _emulator.CreateTopicAsync();
        _queue = await _emulator.SubscribeQueueAsync(_topicArn, _streamType);
    }

    public async Task DisposeAsync()
    {
        // The servers share a table that none of them owns: the last one's client removes it.
        await using (var cleanup = await StartAsync(_emulator.ServiceUrl))
        {
            await cleanup.Services.GetRequiredService<IAmazonDynamoDB>().DeleteTableAsync(_tableName);
        }

        File.Delete(_checkpointPath);
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Restart_AfterCommitsWhileSnsWasUnreachable_PublishesThePendingNotifications()
    {
        using var endpoint = new UnreachableEndpoint();
        var unreachable = endpoint.Url;
        Guid streamId;
        var attempts = new SnsFaultHandler(failing: false);
        await using (var first = await StartAsync(unreachable, attempts.AddTo))
        {
            streamId = await NotifyingServer.CommitTwoRevisionsAsync(first, _streamType);

            // The relay has read the records, failed to publish and tried again (and keeps trying); the checkpoint must
            // not pass them.
            await attempts.WaitForAttemptsAsync(2, Patience);
            attempts.Attempts.Should().AllSatisfy(notification => notification.StreamId.Should().Be(streamId));
            var checkpoint = new CheckpointFile(_checkpointPath).Load();
            (checkpoint?.Shards.Values.All(shard => shard.After is null) ?? true).Should().BeTrue("nothing was published, so nothing is checkpointed");
        }

        // As after a crash: a new process on the same table and checkpoint, now with SNS reachable.
        await using var second = await StartAsync(_emulator.ServiceUrl);
        var received = await _queue.ReceiveUntilAsync(r => r.Count >= 2, Patience);
        received.Select(r => (r.Notification!.StreamId, r.Notification.StreamRevision)).Should().BeEquivalentTo(new[] { (streamId, 1), (streamId, 2) });
        await StreamRelayProbe.WaitUntilCaughtUpAsync(second, _checkpointPath, Patience);
        (await _queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1))).Should().BeEmpty("each notification is published once by a healthy relay");
    }

    [Fact]
    public async Task Restart_AfterPublishing_DoesNotRepublishCheckpointedRecords()
    {
        const int Appends = 5;
        Guid streamId;
        await using (var first = await StartAsync(_emulator.ServiceUrl))
        {
            using var http = first.CreateHttpClient();
            var client = new EventStoreClient(http);
            streamId = Guid.NewGuid();
            for (var revision = 0; revision < Appends; revision++)
            {
                await client.AppendAsync(_streamType, streamId, revision, NewEvent.Create("tick", revision));
            }

            (await _queue.ReceiveUntilAsync(r => r.Count >= Appends, Patience)).Should().HaveCount(Appends);
            await StreamRelayProbe.WaitUntilCaughtUpAsync(first, _checkpointPath, Patience);
        }

        await using var second = await StartAsync(_emulator.ServiceUrl);
        using (var http = second.CreateHttpClient())
        {
            await new EventStoreClient(http).AppendAsync(_streamType, streamId, Appends, NewEvent.Create("tick", Appends));
        }

        var received = await _queue.ReceiveUntilAsync(r => r.Count >= 1, Patience);
        await StreamRelayProbe.WaitUntilCaughtUpAsync(second, _checkpointPath, Patience);
        var all = received.Concat(await _queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1)));
        all.Select(r => (r.Notification!.StreamId, r.Notification.StreamRevision)).Should().Equal([(streamId, Appends + 1)], "the restarted relay resumes after its checkpoint");
    }

    [Fact]
    public async Task StreamFaults_ExpiredIteratorAndTrimmedData_ReopenFromTheCheckpointAndDeliver()
    {
        var faults = new FaultingStreams();
        await using var server = await StartAsync(
            _emulator.ServiceUrl,
            services => services.Decorate<IDynamoDbStreams>(inner => faults.Wrap(inner)));
        using var http = server.CreateHttpClient();
        var client = new EventStoreClient(http);

        var stream = await client.CreateStreamAsync(_streamType, NewEvent.Create("opened", "a"));
        (await _queue.ReceiveUntilAsync(r => r.Count >= 1, Patience)).Should().ContainSingle().Which.Notification!.StreamRevision.Should().Be(1);
        await StreamRelayProbe.WaitUntilCaughtUpAsync(server, _checkpointPath, Patience);

        faults.FailNextReads(DynamoDbStreamsException.ExpiredIterator, DynamoDbStreamsException.TrimmedDataAccess);
        await client.AppendAsync(_streamType, stream.StreamId, 1, NewEvent.Create("changed", "b"));
        var received = await _queue.ReceiveUntilAsync(r => r.Any(n => n.Notification!.StreamRevision == 2), Patience);
        faults.PendingFaults.Should().Be(0, "both faults were met");
        // After a trimmed position the shard is read from its oldest record: revision 1 may come again (at least once).
        received.Select(r => r.Notification!.StreamRevision).Should().Contain(2).And.OnlyContain(revision => revision == 1 || revision == 2);
    }

    [Fact]
    public async Task Burst_ThousandConcurrentAppends_EveryNotificationArrives()
    {
        var sns = new SnsFaultHandler(failing: false);
        await using var server = await StartAsync(_emulator.ServiceUrl, sns.AddTo);
        using var http = server.CreateHttpClient();
        var client = new EventStoreClient(http);

        await NotificationBurst.AppendAndExpectEveryNotificationAsync(
            client, _streamType, _queue, sns, () => StreamRelayProbe.WaitUntilCaughtUpAsync(server, _checkpointPath, Patience), Patience);
    }

    [Fact]
    public async Task StreamRelayOff_AppendsCommitted_PublishesNothingAndKeepsNoCheckpoint()
    {
        var attempts = new SnsFaultHandler(failing: false);
        Guid streamId;
        await using (var server = await StartAsync(_emulator.ServiceUrl, attempts.AddTo, streamRelay: false))
        {
            server.Services.GetServices<IHostedService>().OfType<DynamoDbStreamsNotificationRelay>().Should().BeEmpty("the module does not compose the relay");
            using var http = server.CreateHttpClient();
            streamId = (await new EventStoreClient(http).CreateStreamAsync(_streamType, NewEvent.Create("opened", "a"))).StreamId;
        }

        attempts.Attempts.Should().BeEmpty("with the relay off, another component (the Pipe) publishes");
        File.Exists(_checkpointPath).Should().BeFalse();

        // The append is in the table's stream and its notification reaches the queue once a relay is on: it alone publishes it.
        await using var relaying = await StartAsync(_emulator.ServiceUrl);
        var received = await _queue.ReceiveUntilAsync(r => r.Count >= 1, Patience);
        await StreamRelayProbe.WaitUntilCaughtUpAsync(relaying, _checkpointPath, Patience);
        var all = received.Concat(await _queue.ReceiveOnceAsync(TimeSpan.FromSeconds(1)));
        all.Select(r => (r.Notification!.StreamId, r.Notification.StreamRevision)).Should().Equal([(streamId, 1)], "the server with the relay off published nothing");
    }

    private async Task<DynamoDbServerFixture> StartAsync(Uri snsServiceUrl, Action<IServiceCollection>? configureServices = null, bool streamRelay = true)
    {
        var configuration = NotifyingServer.Configuration(_topicArn, snsServiceUrl);
        configuration["EventStore:Notifications:StreamRelay"] = streamRelay ? "true" : "false";
        configuration["EventStore:DynamoDb:TableName"] = _tableName;
        configuration["EventStore:Notifications:CheckpointPath"] = _checkpointPath;
        var server = DynamoDbServerFixture.Create(dynamoDb: null, configuration, configureServices);
        await server.InitializeAsync();
        return server;
    }
}
