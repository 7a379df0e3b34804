using ServerlessEventStore.Client;
using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
using ServerlessEventStore.Types;
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

    public async Task InitializeAsync() => _emulator = await SnsSqsEmulator.SharedAsync();

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    [Fact]
    public async Task Restart_AfterCommitsWhileSnsWasUnreachable_PublishesThePendingNotifications()
    {
        var topicArn = await _emulator.CreateTopicAsync();
        var queue = await _emulator.SubscribeQueueAsync(topicArn, _streamType);
        using var database = new TemporaryDatabase();
        using var endpoint = new UnreachableEndpoint();
        var unreachable = endpoint.Url;
        Guid streamId;
        var attempts = new SnsFaultHandler(failing: false);
        await using (var first = await StartAsync(NotifyingServer.Configuration(topicArn, unreachable, database.Path), attempts))
        {
            streamId = await NotifyingServer.CommitTwoRevisionsAsync(first, _streamType);

            // The relay has tried, failed and tried again (and keeps trying); the rows wait in the outbox.
            await attempts.WaitForAttemptsAsync(2, Patience);
            attempts.Attempts.Should().AllSatisfy(notification => notification.StreamId.Should().Be(streamId));
            var pending = await Outbox(first).ReadOutboxAsync(10, CancellationToken.None);
            pending.Select(e => e.Notification.StreamRevision).Should().Equal(1, 2);
        }

        // As after a crash: a new process on the same file, now with SNS reachable.
        await using var second = await NotifyingServer.StartAsync(NotifyingServer.Configuration(topicArn, _emulator.ServiceUrl, database.Path));
        var received = await queue.ReceiveUntilAsync(r => r.Count >= 2, Patience);
        received.Select(r => (r.Notification!.StreamId, r.Notification.StreamRevision)).Should().BeEquivalentTo(new[] { (streamId, 1), (streamId, 2) });
    }

    [Fact]
    public async Task Publish_SnsRefusesOneOfABatch_TheAcceptedLeaveTheOutboxAtOnceAndTheRefusedOneFollowsLater()
    {
        var topicArn = await _emulator.CreateTopicAsync();
        var queue = await _emulator.SubscribeQueueAsync(topicArn, _streamType);
        using var database = new TemporaryDatabase();
        using var unreachable = new UnreachableEndpoint();
        Guid streamId;
        await using (var first = await StartAsync(
            NotifyingServer.Configuration(topicArn, unreachable.Url, database.Path), new SnsFaultHandler(failing: false)))
        {
            streamId = await NotifyingServer.CommitTwoRevisionsAsync(first, _streamType);
        }

        // The next process finds both in its outbox and publishes them as one batch; SNS refuses the first.
        var fault = new SnsFaultHandler { Refuses = notification => notification.StreamRevision == 1 };
        await using var second = await StartAsync(NotifyingServer.Configuration(topicArn, _emulator.ServiceUrl, database.Path), fault);
        (await queue.ReceiveUntilAsync(r => r.Count >= 1, Patience)).Should().ContainSingle().Which.Notification!.StreamRevision.Should().Be(2);
        await Poll.UntilAsync(
            async () => (await Outbox(second).ReadOutboxAsync(10, CancellationToken.None)).Count == 1, Patience, () => "the accepted notification to leave the outbox");
        (await Outbox(second).ReadOutboxAsync(10, CancellationToken.None)).Should().ContainSingle().Which.Notification.StreamRevision.Should().Be(1, "only the refused one is still pending");
        await fault.WaitForAttemptsAsync(3, Patience);
        fault.Attempts.Where(notification => notification.StreamRevision == 2).Should().ContainSingle("an accepted notification is not published again while another is retried");

        fault.Failing = false;
        var received = await queue.ReceiveUntilAsync(r => r.Count >= 1, Patience);
        received.Should().ContainSingle().Which.Notification.Should().Be(new StreamNotification(streamId, _streamType, 1));
        await NotifyingServer.WaitUntilOutboxEmptyAsync(second, Patience);
    }

    [Fact]
    public async Task Publish_SnsAnswersErrors_BacksOffOnItsClockAndRetriesUntilDelivered()
    {
        var topicArn = await _emulator.CreateTopicAsync();
        var queue = await _emulator.SubscribeQueueAsync(topicArn, _streamType);
        var fault = new SnsFaultHandler();
        var clock = new TimerWatchingTimeProvider();
        await using var server = await StartAsync(NotifyingServer.Configuration(topicArn, _emulator.ServiceUrl), fault, clock);
        using var http = server.CreateHttpClient();
        var client = new EventStoreClient(http);

        var stream = await client.CreateStreamAsync(_streamType, NewEvent.Create("opened", "a"));
        await fault.WaitForAttemptsAsync(1, Patience);

        // 50 ms doubling to a 250 ms cap, each wait on the relay's clock: no attempt comes before the clock has moved on
        // by the wait (a relay that spun would make more), and one comes after it (a relay that gave up would make none).
        TimeSpan[] backOff = [NotifyingServer.MinRetryDelay, NotifyingServer.MinRetryDelay * 2, NotifyingServer.MinRetryDelay * 4, NotifyingServer.MaxRetryDelay, NotifyingServer.MaxRetryDelay];
        foreach (var (wait, attempt) in backOff.Select((wait, i) => (wait, i + 2)))
        {
            await clock.WaitForTimerAsync(wait, Patience);
            fault.Attempts.Should().HaveCount(attempt - 1, $"attempt {attempt} waits {wait.TotalMilliseconds} ms on the relay's clock");
            clock.Advance(wait);
            await fault.WaitForAttemptsAsync(attempt, Patience);
        }

        (await Outbox(server).ReadOutboxAsync(10, CancellationToken.None)).Should().ContainSingle("a rejected publication stays pending");
        (await queue.ReceiveOnceAsync(TimeSpan.Zero)).Should().BeEmpty();

        await clock.WaitForTimerAsync(NotifyingServer.MaxRetryDelay, Patience);
        fault.Failing = false;
        clock.Advance(NotifyingServer.MaxRetryDelay);
        var received = await queue.ReceiveUntilAsync(r => r.Count >= 1, Patience);
        received.Should().ContainSingle().Which.Notification!.StreamId.Should().Be(stream.StreamId);
        await NotifyingServer.WaitUntilOutboxEmptyAsync(server, Patience);
        fault.Attempts.Should().HaveCount(backOff.Length + 2).And.AllSatisfy(notification => notification.Should().Be(new StreamNotification(stream.StreamId, _streamType, 1)));
        fault.Rejected.Should().Be(backOff.Length + 1, "only the attempt after the fault ended went through");
    }

    [Fact]
    public async Task Burst_ThousandConcurrentAppends_EveryNotificationArrives()
    {
        var topicArn = await _emulator.CreateTopicAsync();
        var queue = await _emulator.SubscribeQueueAsync(topicArn, _streamType);
        var sns = new SnsFaultHandler(failing: false);
        await using var server = await StartAsync(NotifyingServer.Configuration(topicArn, _emulator.ServiceUrl), sns);
        using var http = server.CreateHttpClient();
        var client = new EventStoreClient(http);

        await NotificationBurst.AppendAndExpectEveryNotificationAsync(
            client, _streamType, queue, sns, () => NotifyingServer.WaitUntilOutboxEmptyAsync(server, Patience), Patience);
    }

    private static INotificationOutbox Outbox(EventStoreServerFixture server) =>
        server.Services.GetRequiredService<INotificationOutbox>();

    /// <summary>Starts the server with <paramref name="sns"/> in its SNS client and, if given, <paramref name="clock"/> as its clock.</summary>
    private static async Task<EventStoreServerFixture> StartAsync(Dictionary<string, string?> configuration, SnsFaultHandler sns, TimeProvider? clock = null)
    {
        var server = EventStoreServerFixture.Create(configuration, services =>
        {
            sns.AddTo(services);
            if (clock is not null)
            {
                services.AddSingleton(clock);
            }
        });
        await server.InitializeAsync();
        return server;
    }
}
