using Amazon.SQS.Model;
using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Client.Sqs.Tests;

public class NotificationWorkerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Worker_Notifications_HandlesEachOnceAndAcknowledgesIt()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync();
        var ids = await queue.SendNotificationsAsync(25);
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.MaxConcurrency = 4;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });

        await worker.StartAsync();

        await Eventually.HoldsAsync(async () => worker.Probe.Completed.Count == 25 && await queue.CountAsync() == 0, Patience, "all handled and acknowledged");
        await Task.Delay(500);
        worker.Probe.Calls.Select(c => c.Context.MessageId).Should().BeEquivalentTo(ids, "each message is handled exactly once");
        worker.Probe.Calls.Select(c => c.Notification.StreamRevision).Should().BeEquivalentTo(Enumerable.Range(1, 25));
        worker.Probe.Calls.Should().AllSatisfy(c => c.Context.QueueUrl.Should().Be(queue.Url));
    }

    [Fact]
    public async Task Worker_ManyMessages_NeverRunsMoreHandlersThanMaxConcurrency()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync();
        await queue.SendNotificationsAsync(40);
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.MaxConcurrency = 3;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        worker.Probe.Behavior = async (_, token) =>
        {
            await Task.Delay(50, token);
            return NotificationResult.Success();
        };

        await worker.StartAsync();

        await Eventually.HoldsAsync(async () => worker.Probe.Completed.Count == 40 && await queue.CountAsync() == 0, Patience, "all handled");
        worker.Probe.MaxRunning.Should().Be(3, "handlers run concurrently, but never more than three");
    }

    [Fact]
    public async Task Worker_HandlerThrows_RedeliversThenDeadLetters()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync(maxReceiveCount: 2);
        var id = await queue.SendAsync(TestQueues.NewNotification());
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.VisibilityTimeout = TimeSpan.FromSeconds(1);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        worker.Probe.Behavior = (_, _) => throw new InvalidOperationException("read model unavailable");

        await worker.StartAsync();

        await Eventually.HoldsAsync(async () => (await queue.ReceiveDeadLettersAsync()).Any(m => m.MessageId == id), Patience, "the message is in the dead-letter queue");
        worker.Probe.Calls.Select(c => c.Context.ReceiveCount).Should().Equal(1, 2);
        worker.Worker(LogLevel.Error).Should().Contain(e => e.Message.Contains(id, StringComparison.Ordinal) && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Worker_RetryWithDelay_RedeliversAfterAboutTheDelay()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync();
        await queue.SendAsync(TestQueues.NewNotification());
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.VisibilityTimeout = TimeSpan.FromSeconds(60);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        worker.Probe.Behavior = (call, _) => Task.FromResult(
            call.Context.ReceiveCount == 1 ? NotificationResult.Retry(TimeSpan.FromSeconds(2)) : NotificationResult.Success());

        await worker.StartAsync();

        await Eventually.HoldsAsync(async () => worker.Probe.Completed.Count == 2 && await queue.CountAsync() == 0, Patience, "retried and acknowledged");
        var calls = worker.Probe.Calls.ToList();
        (calls[1].At - calls[0].At).Should().BeGreaterThan(TimeSpan.FromSeconds(1.5)).And.BeLessThan(TimeSpan.FromSeconds(15),
            "the message comes back after the retry delay, not after the minute-long visibility timeout");
    }

    [Fact]
    public async Task Worker_HandlerLongerThanTheVisibilityTimeout_KeepsTheMessageHiddenAndHandlesItOnce()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync(visibilityTimeoutSeconds: 2);
        await queue.SendAsync(TestQueues.NewNotification());
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.VisibilityTimeout = TimeSpan.FromSeconds(2);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        worker.Probe.Behavior = async (_, token) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), token);
            return NotificationResult.Success();
        };

        await worker.StartAsync();

        await Eventually.HoldsAsync(async () => worker.Probe.Completed.Count == 1 && await queue.CountAsync() == 0, Patience, "handled and acknowledged");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        worker.Probe.Calls.Should().ContainSingle("the message stayed hidden while its handler ran");
        worker.Worker(LogLevel.Debug).Should().Contain(e => e.EventId.Id == 9, "the visibility was extended");
    }

    [Fact]
    public async Task Worker_MalformedMessage_LogsItsIdLeavesItForTheDeadLetterQueueAndGoesOn()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync(maxReceiveCount: 2);
        var malformedId = await queue.SendAsync("""{"StreamId":"not-a-uuid","StreamType":"order","StreamRevision":"1"}""");
        var goodIds = await queue.SendNotificationsAsync(3);
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.VisibilityTimeout = TimeSpan.FromSeconds(1);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });

        await worker.StartAsync();

        await Eventually.HoldsAsync(async () => (await queue.ReceiveDeadLettersAsync()).Any(m => m.MessageId == malformedId), Patience, "the malformed message is in the dead-letter queue");
        await Eventually.HoldsAsync(() => worker.Probe.Completed.Count == 3, Patience, "the good messages are handled");
        worker.Probe.Calls.Select(c => c.Context.MessageId).Should().BeEquivalentTo(goodIds);
        var logged = worker.Worker(LogLevel.Error).Where(e => e.Message.Contains(malformedId, StringComparison.Ordinal)).ToList();
        logged.Should().NotBeEmpty();
        logged[0].Exception.Should().BeOfType<NotificationFormatException>().Which.Message.Should().Contain("is not a UUID");
        (await queue.CountAsync()).Should().Be(0);
        worker.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task Worker_PoisonMessageAmongNineInOneReceive_HandlesTheNineAndDeadLettersOnlyThePoison()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync(maxReceiveCount: 2);
        var (poisonId, goodIds) = await queue.SendAmongNotificationsAsync(TestQueues.PoisonBody, 9);
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.VisibilityTimeout = TimeSpan.FromSeconds(1);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        var deadLetters = new List<Message>();

        await worker.StartAsync();

        await Eventually.HoldsAsync(
            async () =>
            {
                deadLetters.AddRange(await queue.ReceiveDeadLettersAsync());
                return deadLetters.Any(m => m.MessageId == poisonId);
            },
            Patience,
            "the poison message is in the dead-letter queue");
        await Eventually.HoldsAsync(async () => worker.Probe.Completed.Count == 9 && await queue.CountAsync() == 0, Patience, "the nine are handled and acknowledged");
        worker.Probe.Calls.Select(c => c.Context.MessageId).Should().BeEquivalentTo(goodIds, "the handler saw each good message, once");
        deadLetters.Select(m => m.MessageId).Should().Equal([poisonId], "only the poison message was left unacknowledged");
        worker.Worker(LogLevel.Error).Should().Contain(e => e.Message.Contains(poisonId, StringComparison.Ordinal) && e.Exception is NotificationFormatException);
        worker.Worker(LogLevel.Warning).Should().NotContain(e => e.EventId.Id == 10, "no receive failed");
    }

    [Fact]
    public async Task Worker_SnsEnvelopeBodies_HandlesThem()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync();
        using var sns = new FauxqsSns(queues.Fauxqs);
        var topic = await sns.CreateTopicAsync();
        await sns.SubscribeAsync(topic, (await queues.Sqs.GetQueueAttributesAsync(queue.Url, ["QueueArn"])).QueueARN, rawMessageDelivery: false);
        var notification = TestQueues.NewNotification(7);
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        await worker.StartAsync();

        await sns.PublishAsync(topic, StreamNotificationConverter.ToMessageBody(notification));

        await Eventually.HoldsAsync(async () => worker.Probe.Completed.Count == 1 && await queue.CountAsync() == 0, Patience, "handled and acknowledged");
        worker.Probe.Calls.Single().Notification.Should().Be(notification);
    }

    [Fact]
    public async Task Worker_MissingQueue_StopsTheHostWithTheError()
    {
        using var queues = await TestQueues.SharedAsync();
        var missing = queues.Fauxqs.ServiceUrl + $"000000000000/t-{Guid.NewGuid():N}";
        var worker = WorkerHost.Create(queues.Sqs, o => o.QueueUrl = missing);

        var service = worker.Host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single();

        var running = worker.Host.RunAsync();
        var finished = await Task.WhenAny(running, Task.Delay(Patience));

        finished.Should().BeSameAs(running, "the host stops by itself");
        var critical = worker.Worker(LogLevel.Critical).Should().ContainSingle().Subject;
        critical.Message.Should().Contain(missing);
        critical.Exception.Should().BeOfType<QueueDoesNotExistException>();
        service.ExecuteTask!.Exception!.InnerException.Should().BeOfType<QueueDoesNotExistException>();
    }

    [Fact]
    public async Task Worker_Shutdown_LetsRunningHandlersFinishAndAcknowledgesThem()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync();
        await queue.SendNotificationsAsync(3);
        var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.MaxConcurrency = 3;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        var cancelled = 0;
        worker.Probe.Behavior = async (_, token) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }

            return NotificationResult.Success();
        };
        await worker.StartAsync();
        await Eventually.HoldsAsync(() => worker.Probe.Running == 3, Patience, "three handlers running");

        await worker.Host.StopAsync(CancellationToken.None);

        cancelled.Should().Be(0);
        worker.Probe.Completed.Should().HaveCount(3);
        (await queue.CountAsync()).Should().Be(0, "the drained handlers' messages were acknowledged before the worker stopped");
        worker.Host.Dispose();
    }

    [Fact]
    public async Task Worker_ShutdownTimeoutPasses_CancelsHandlersAndLeavesTheirMessages()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync();
        await queue.SendAsync(TestQueues.NewNotification());
        var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.WaitTime = TimeSpan.FromSeconds(1);
        }, shutdownTimeout: TimeSpan.FromSeconds(1));
        worker.Probe.Behavior = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return NotificationResult.Success();
        };
        await worker.StartAsync();
        await Eventually.HoldsAsync(() => worker.Probe.Running == 1, Patience, "the handler runs");

        await worker.Host.StopAsync(CancellationToken.None);
        await Eventually.HoldsAsync(() => worker.Probe.Running == 0, Patience, "the handler was cancelled");

        (await queue.CountAsync()).Should().Be(1, "the message was not acknowledged");
        await Eventually.HoldsAsync(() => worker.Worker(LogLevel.Warning).Any(e => e.EventId.Id == 6), Patience, "the abandoned message is logged");
        worker.Host.Dispose();
    }

    [Fact]
    public async Task Worker_InvalidOptions_FailsStartListingEveryViolation()
    {
        var worker = WorkerHost.Create(null, o =>
        {
            o.QueueUrl = null;
            o.MaxMessagesPerReceive = 11;
            o.WaitTime = TimeSpan.FromSeconds(21);
            o.VisibilityTimeout = TimeSpan.FromHours(13);
            o.MaxConcurrency = 0;
            o.ServiceUrl = new Uri("/relative", UriKind.Relative);
        });

        var act = () => worker.Host.StartAsync();

        var exception = (await act.Should().ThrowAsync<OptionsValidationException>()).Which;
        exception.Failures.Should().HaveCount(6);
        exception.Failures.Should().Contain(f => f.Contains("QueueUrl is required", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("MaxMessagesPerReceive", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("WaitTime", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("VisibilityTimeout must be", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("MaxConcurrency", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("ServiceUrl", StringComparison.Ordinal));
        worker.Host.Dispose();
    }

    [Theory]
    [InlineData(2.5, null, "whole seconds")]
    [InlineData(30, 30.0, "VisibilityExtensionInterval must be more than zero and less than")]
    [InlineData(0, null, "ExtendVisibility needs a VisibilityTimeout of at least 1 second")]
    public async Task Worker_InconsistentVisibilitySettings_FailsStart(double visibilitySeconds, double? intervalSeconds, string failure)
    {
        var worker = WorkerHost.Create(null, o =>
        {
            o.QueueUrl = "http://127.0.0.1:1/000000000000/q";
            o.VisibilityTimeout = TimeSpan.FromSeconds(visibilitySeconds);
            o.VisibilityExtensionInterval = intervalSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
        });

        var act = () => worker.Host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().ContainSingle().Which.Should().Contain(failure);
        worker.Host.Dispose();
    }

    [Fact]
    public async Task Worker_ConfigurationSection_BindsTheOptions()
    {
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync();
        await queue.SendNotificationsAsync(2);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:QueueUrl"] = queue.Url,
            ["Notifications:MaxConcurrency"] = "1",
            ["Notifications:WaitTime"] = "00:00:01",
        }).Build();
        await using var worker = WorkerHost.Create(queues.Sqs, configuration.GetSection("Notifications"));

        await worker.StartAsync();

        await Eventually.HoldsAsync(async () => worker.Probe.Completed.Count == 2 && await queue.CountAsync() == 0, Patience, "handled and acknowledged");
        worker.Probe.MaxRunning.Should().Be(1);
    }

    [Fact]
    public async Task Worker_ConfigurationSectionInvalid_FailsStart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:MaxConcurrency"] = "0",
        }).Build();
        var worker = WorkerHost.Create(null, configuration.GetSection("Notifications"));

        var act = () => worker.Host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().HaveCount(2);
        worker.Host.Dispose();
    }

    [Fact]
    public async Task Worker_NoSqsClientRegistered_CreatesOneForTheServiceUrl()
    {
        // The SDK's credential chain reads these; the emulator checks none. Every other test passes credentials explicitly.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "local");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "local");
        Environment.SetEnvironmentVariable("AWS_REGION", Fauxqs.Region);
        using var queues = await TestQueues.SharedAsync();
        var queue = await queues.CreateAsync();
        await queue.SendNotificationsAsync(1);
        await using var worker = WorkerHost.Create(null, o =>
        {
            o.QueueUrl = queue.Url;
            o.ServiceUrl = queues.Fauxqs.ServiceUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });

        await worker.StartAsync();

        await Eventually.HoldsAsync(async () => worker.Probe.Completed.Count == 1 && await queue.CountAsync() == 0, Patience, "handled and acknowledged");
    }

    [Fact]
    public async Task Worker_ReceiveFailsForAWhile_BacksOffAndRecovers()
    {
        await using var fauxqs = await Fauxqs.StartAsync();
        using var queues = TestQueues.For(fauxqs);
        var name = $"t-{Guid.NewGuid():N}";
        var queue = await queues.CreateAsync(name: name);
        await using var worker = WorkerHost.Create(queues.Sqs, o =>
        {
            o.QueueUrl = queue.Url;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        await worker.StartAsync();

        await fauxqs.StopAsync();
        await Eventually.HoldsAsync(() => worker.Worker(LogLevel.Warning).Count(e => e.EventId.Id == 10) >= 2, Patience, "receive failures are logged");
        await fauxqs.RestartAsync();
        var recreated = await queues.CreateAsync(name: name);
        recreated.Url.Should().Be(queue.Url);
        await recreated.SendNotificationsAsync(1);

        await Eventually.HoldsAsync(() => worker.Probe.Completed.Count == 1, Patience, "handled after the outage");
        worker.Worker(LogLevel.Critical).Should().BeEmpty();
    }
}
