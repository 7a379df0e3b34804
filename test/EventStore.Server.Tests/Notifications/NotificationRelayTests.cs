using ServerlessEventStore.Client;
using ServerlessEventStore.Server.Notifications;
using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// The outbox relay of the embedded store under failures: SNS unreachable across a restart, SNS answering errors,
/// and a burst of appends. Appends keep succeeding throughout, and every notification arrives.
/// </summary>
public sealed class NotificationRelayTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _streamType = $"t-{Guid.NewGuid():N}";
    private SnsSqsEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await SnsSqsEmulator.StartAsync();

    public Task DisposeAsync()
    {
        _emulator.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Restart_AfterCommitsWhileSnsWasUnreachable_PublishesThePendingNotifications()
    {
        var topicArn = await _emulator.CreateTopicAsync($"t-{Guid.NewGuid():N}");
        var queue = await _emulator.SubscribeQueueAsync(topicArn, _streamType);
        var databasePath = Path.Combine(Path.GetTempPath(), $"eventstore-test-{Guid.NewGuid():N}.db");
        var unreachable = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        try
        {
            Guid streamId;
            await using (var first = await NotifyingServer.StartAsync(NotifyingServer.Configuration(topicArn, unreachable, databasePath)))
            {
                using var http = first.CreateHttpClient();
                var client = new EventStoreClient(http);
                var stream = await client.CreateStreamAsync(_streamType, NewEvent.Create("opened", "a"));
                await client.AppendAsync(_streamType, stream.StreamId, 1, NewEvent.Create("changed", "b"));
                streamId = stream.StreamId;

                // The relay has tried (and keeps trying); the rows wait in the outbox.
                await Task.Delay(500);
                var pending = await Outbox(first).ReadOutboxAsync(10, CancellationToken.None);
                pending.Select(e => e.Notification.StreamRevision).Should().Equal(1, 2);
            }

            // As after a crash: a new process on the same file, now with SNS reachable.
            await using var second = await NotifyingServer.StartAsync(NotifyingServer.Configuration(topicArn, _emulator.Fauxqs.ServiceUrl, databasePath));
            var received = await queue.ReceiveUntilAsync(r => r.Count >= 2, Patience);
            received.Select(r => (r.StreamId, r.StreamRevision)).Should().BeEquivalentTo(new[] { (streamId, 1), (streamId, 2) });
        }
        finally
        {
            DeleteDatabase(databasePath);
        }
    }

    [Fact]
    public async Task Publish_SnsAnswersErrors_BacksOffAndRetriesUntilDelivered()
    {
        var topicArn = await _emulator.CreateTopicAsync($"t-{Guid.NewGuid():N}");
        var queue = await _emulator.SubscribeQueueAsync(topicArn, _streamType);
        var fault = new SnsFaultHandler();
        await using var server = EventStoreServerFixture.Create(
            NotifyingServer.Configuration(topicArn, _emulator.Fauxqs.ServiceUrl),
            services => services.AddHttpClient(NotificationServiceCollectionExtensions.SnsHttpClientName).AddHttpMessageHandler(() => fault));
        await server.InitializeAsync();
        using var http = server.CreateHttpClient();
        var client = new EventStoreClient(http);

        var stream = await client.CreateStreamAsync(_streamType, NewEvent.Create("opened", "a"));
        await Task.Delay(1000);
        (await Outbox(server).ReadOutboxAsync(10, CancellationToken.None)).Should().ContainSingle("a rejected publication stays pending");
        (await queue.ReceiveOnceAsync(waitSeconds: 0)).Should().BeEmpty();
        // 50 ms doubling to a 250 ms cap: about 6 attempts in a second; a relay that gave up or spun would be far off.
        fault.Rejected.Should().BeInRange(3, 12);

        fault.Failing = false;
        var received = await queue.ReceiveUntilAsync(r => r.Count >= 1, Patience);
        received.Should().ContainSingle().Which.StreamId.Should().Be(stream.StreamId);
    }

    [Fact]
    public async Task Burst_ThousandConcurrentAppends_EveryNotificationArrives()
    {
        var topicArn = await _emulator.CreateTopicAsync($"t-{Guid.NewGuid():N}");
        var queue = await _emulator.SubscribeQueueAsync(topicArn, _streamType);
        await using var server = await NotifyingServer.StartAsync(NotifyingServer.Configuration(topicArn, _emulator.Fauxqs.ServiceUrl));
        using var http = server.CreateHttpClient();
        var client = new EventStoreClient(http);

        await NotificationBurst.AppendAndExpectEveryNotificationAsync(client, _streamType, queue, Patience);
    }

    private static INotificationOutbox Outbox(EventStoreServerFixture server) =>
        server.Services.GetRequiredService<INotificationOutbox>();

    private static void DeleteDatabase(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }
    }
}
