using Amazon.SQS.Model;
using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ServerlessEventStore.Client.Sqs.Tests;

public class NotificationWorkerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = Worker.ReceiveRetry.MaxDelay;

    [Fact]
    public async Task Worker_Notifications_HandlesEachOnceAndAcknowledgesIt()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        var ids = await queue.SendNotificationsAsync(25);
        await using var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.MaxConcurrency = 4;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });

        await worker.StartAsync();

        await Poll.UntilAsync(async () => worker.Probe.Completed.Count == 25 && await queue.CountAsync() == 0, Patience, () => "all handled and acknowledged");
        await worker.Host.StopAsync();
        worker.Probe.Calls.Select(c => c.Context.MessageId).Should().BeEquivalentTo(ids, "each message is handled exactly once, up to the worker's stop");
        worker.Probe.Calls.Select(c => c.Notification.StreamRevision).Should().BeEquivalentTo(Enumerable.Range(1, 25));
        worker.Probe.Calls.Should().AllSatisfy(c => c.Context.QueueUrl.Should().Be(queue.QueueUrl));
    }

    [Fact]
    public async Task Worker_ManyMessages_RunsMaxConcurrencyHandlersAtOnceAndNeverMore()
    {
        const int Messages = 12;
        const int MaxConcurrency = 3;
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        await queue.SendNotificationsAsync(Messages);
        await using var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.MaxConcurrency = MaxConcurrency;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        using var gate = new SemaphoreSlim(0);
        worker.Probe.Behavior = async (_, token) =>
        {
            await gate.WaitAsync(token);
            return NotificationResult.Success();
        };

        await worker.StartAsync();

        // Each handler waits for the gate: the slots fill up, then each release lets exactly one handler finish.
        for (var released = 1; released <= Messages; released++)
        {
            var expected = Math.Min(MaxConcurrency, Messages - released + 1);
            await Poll.UntilAsync(() => worker.Probe.Running == expected, Patience, () => $"{expected} handlers running, not {worker.Probe.Running}");
            gate.Release();
            var done = released;
            await Poll.UntilAsync(() => worker.Probe.Completed.Count == done, Patience, () => $"{done} handlers finished");
        }

        worker.Probe.MaxRunning.Should().Be(MaxConcurrency, "handlers run concurrently, but never more than three");
        await Poll.UntilAsync(async () => await queue.CountAsync() == 0, Patience, () => "all acknowledged");
    }

    [Fact]
    public async Task Worker_HandlerThrows_RedeliversThenDeadLetters()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync(maxReceiveCount: 2);
        var id = await queue.SendAsync(TestNotifications.New());
        await using var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.VisibilityTimeout = TimeSpan.FromSeconds(1);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        worker.Probe.Behavior = (_, _) => throw new InvalidOperationException("read model unavailable");

        await worker.StartAsync();

        await Poll.UntilAsync(async () => (await queue.ReceiveDeadLettersAsync()).Any(m => m.MessageId == id), Patience, () => "the message is in the dead-letter queue");
        worker.Probe.Calls.Select(c => c.Context.ReceiveCount).Should().Equal(1, 2);
        worker.Worker(LogLevel.Error).Should().Contain(e => e.Message.Contains(id, StringComparison.Ordinal) && e.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task Worker_RetryWithDelay_HidesTheMessageForTheDelayAndHandlesItsRedelivery()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        using var sqs = new RecordingSqsClient(emulator);
        var id = await queue.SendAsync(TestNotifications.New());
        await using var worker = WorkerHost.Create(sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.VisibilityTimeout = TimeSpan.FromMinutes(10);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        worker.Probe.Behavior = (call, _) => Task.FromResult(
            call.Context.ReceiveCount == 1 ? NotificationResult.Retry(TimeSpan.FromSeconds(2)) : NotificationResult.Success());

        await worker.StartAsync();

        // Within the patience only the retry delay, not the ten-minute visibility timeout, can bring the message back.
        await Poll.UntilAsync(async () => worker.Probe.Completed.Count == 2 && await queue.CountAsync() == 0, Patience, () => "retried and acknowledged");
        worker.Probe.Calls.Select(c => (c.Context.MessageId, c.Context.ReceiveCount)).Should().Equal((id, 1), (id, 2));
        sqs.VisibilityChanges.Should().ContainSingle("the retry delay is the only change of visibility")
            .Which.VisibilityTimeoutSeconds.Should().Be(2);
        sqs.Deleted.Should().ContainSingle("only the second delivery succeeded");
    }

    [Fact]
    public async Task Worker_HandlerRunsPastTheExtensionInterval_ExtendsTheVisibilityThenAcknowledgesOnce()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        using var sqs = new RecordingSqsClient(emulator);
        var id = await queue.SendAsync(TestNotifications.New());
        await using var worker = WorkerHost.Create(sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.VisibilityTimeout = TimeSpan.FromSeconds(30);
            o.VisibilityExtensionInterval = TimeSpan.FromSeconds(10);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        worker.Probe.Behavior = async (_, token) =>
        {
            await release.Task.WaitAsync(token);
            return NotificationResult.Success();
        };

        await worker.StartAsync();
        await Poll.UntilAsync(() => worker.Probe.Running == 1, Patience, () => "the handler runs");

        await worker.AdvanceUntilAsync(TimeSpan.FromSeconds(10), () => sqs.VisibilityChanges.Count >= 2, Patience, () => "two extensions while the handler runs");
        release.SetResult();

        await Poll.UntilAsync(async () => sqs.Deleted.Count == 1 && await queue.CountAsync() == 0, Patience, () => "handled and acknowledged");
        sqs.VisibilityChanges.Should().AllSatisfy(change => change.VisibilityTimeoutSeconds.Should().Be(30, "each extension hides the message for the visibility timeout again"));
        sqs.VisibilityChanges.Select(c => c.ReceiptHandle).Distinct().Should().Equal(sqs.Deleted, "the extended delivery is the one acknowledged");
        worker.Probe.Calls.Should().ContainSingle().Which.Context.MessageId.Should().Be(id);
        worker.Worker(9).Should().HaveCountGreaterThanOrEqualTo(2, "each extension is logged");
    }

    [Fact]
    public async Task Worker_MalformedMessage_LogsItsIdLeavesItForTheDeadLetterQueueAndGoesOn()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync(maxReceiveCount: 2);
        var malformedId = await queue.SendAsync("""{"StreamId":"not-a-uuid","StreamType":"order","StreamRevision":"1"}""");
        var goodIds = await queue.SendNotificationsAsync(3);
        // The malformed message comes back at once; the good ones keep the default visibility timeout, so that only an
        // acknowledgement, never a slow one, decides what the handler sees.
        using var sqs = new RecordingSqsClient(emulator) { ReturnAtOnce = m => m.MessageId == malformedId };
        await using var worker = WorkerHost.Create(sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });

        await worker.StartAsync();

        await Poll.UntilAsync(async () => (await queue.ReceiveDeadLettersAsync()).Any(m => m.MessageId == malformedId), Patience, () => "the malformed message is in the dead-letter queue");
        await Poll.UntilAsync(() => worker.Probe.Completed.Count == 3, Patience, () => "the good messages are handled");
        worker.Probe.Calls.Select(c => c.Context.MessageId).Should().BeEquivalentTo(goodIds);
        var logged = worker.Worker(LogLevel.Error).Where(e => e.Message.Contains(malformedId, StringComparison.Ordinal)).ToList();
        logged.Should().NotBeEmpty();
        logged[0].Exception.Should().BeOfType<NotificationFormatException>().Which.Message.Should().Contain("is not a UUID");
        await Poll.UntilAsync(async () => await queue.CountAsync() == 0, Patience, () => "the good messages are acknowledged");
        worker.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested.Should().BeFalse();
    }

    [Fact]
    public async Task Worker_PoisonMessageAmongNineInOneReceive_HandlesTheNineAndDeadLettersOnlyThePoison()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync(maxReceiveCount: 2);
        var (poisonId, goodIds) = await queue.SendAmongNotificationsAsync(TestNotifications.PoisonBody, 9);
        using var sqs = new RecordingSqsClient(emulator) { ReturnAtOnce = m => m.MessageId == poisonId };
        await using var worker = WorkerHost.Create(sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        var deadLetters = new List<QueueMessage>();

        await worker.StartAsync();

        await Poll.UntilAsync(
            async () =>
            {
                deadLetters.AddRange(await queue.ReceiveDeadLettersAsync());
                return deadLetters.Any(m => m.MessageId == poisonId);
            },
            Patience,
            () => "the poison message is in the dead-letter queue");
        await Poll.UntilAsync(async () => worker.Probe.Completed.Count == 9 && await queue.CountAsync() == 0, Patience, () => "the nine are handled and acknowledged");
        worker.Probe.Calls.Select(c => c.Context.MessageId).Should().BeEquivalentTo(goodIds, "the handler saw each good message, once");
        deadLetters.Select(m => m.MessageId).Should().Equal([poisonId], "only the poison message was left unacknowledged");
        worker.Worker(LogLevel.Error).Should().Contain(e => e.Message.Contains(poisonId, StringComparison.Ordinal) && e.Exception is NotificationFormatException);
        worker.Worker(10).Should().BeEmpty("no receive failed");
    }

    [Fact]
    public async Task Worker_SnsEnvelopeBodies_HandlesThem()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        var topic = await emulator.CreateTopicAsync();
        await emulator.SubscribeAsync(topic, queue);
        var notification = TestNotifications.New(7);
        await using var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        await worker.StartAsync();

        await emulator.PublishAsync(topic, StreamNotificationConverter.ToMessageBody(notification));

        await Poll.UntilAsync(async () => worker.Probe.Completed.Count == 1 && await queue.CountAsync() == 0, Patience, () => "handled and acknowledged");
        worker.Probe.Calls.Single().Notification.Should().Be(notification);
    }

    [Fact]
    public async Task Worker_MissingQueue_StopsTheHostWithTheError()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var missing = emulator.ServiceUrl + $"000000000000/t-{Guid.NewGuid():N}";
        var worker = WorkerHost.Create(emulator.Sqs, o => o.QueueUrl = missing);

        var service = worker.Host.Services.GetServices<IHostedService>().OfType<BackgroundService>().Single();

        await worker.Host.RunAsync().WaitAsync(Patience);

        var critical = worker.Worker(LogLevel.Critical).Should().ContainSingle().Subject;
        critical.Message.Should().Contain(missing);
        critical.Exception.Should().BeOfType<QueueDoesNotExistException>();
        service.ExecuteTask!.Exception!.InnerException.Should().BeOfType<QueueDoesNotExistException>();
        worker.Worker(10).Should().BeEmpty("a fatal error is not retried");
    }

    [Fact]
    public async Task Worker_Shutdown_LetsRunningHandlersFinishAndAcknowledgesThem()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        await queue.SendNotificationsAsync(3);
        var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.MaxConcurrency = 3;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = 0;
        worker.Probe.Behavior = async (_, token) =>
        {
            try
            {
                await release.Task.WaitAsync(token);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }

            return NotificationResult.Success();
        };
        await worker.StartAsync();
        await Poll.UntilAsync(() => worker.Probe.Running == 3, Patience, () => "three handlers running");

        var stopping = worker.Host.StopAsync(CancellationToken.None);
        await Poll.UntilAsync(() => worker.Worker(12).Count == 1, Patience, () => "the worker stops receiving");
        stopping.IsCompleted.Should().BeFalse("the stop waits for the running handlers");
        release.SetResult();
        await stopping;

        cancelled.Should().Be(0);
        worker.Probe.Completed.Should().HaveCount(3);
        (await queue.CountAsync()).Should().Be(0, "the drained handlers' messages were acknowledged before the worker stopped");
        worker.Worker(12).Single().Message.Should().Contain("waiting for 3 running handlers");
        worker.Host.Dispose();
    }

    [Fact]
    public async Task Worker_ShutdownTimeoutPasses_CancelsHandlersAndLeavesTheirMessages()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        await queue.SendAsync(TestNotifications.New());
        var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        worker.Probe.Behavior = async (_, token) =>
        {
            // A handler that finishes only when it is cancelled.
            await new TaskCompletionSource().Task.WaitAsync(token);
            return NotificationResult.Success();
        };
        await worker.StartAsync();
        await Poll.UntilAsync(() => worker.Probe.Running == 1, Patience, () => "the handler runs");

        // The host's shutdown timeout is the token of StopAsync: cancelling it is the timeout passing.
        using var shutdownTimeout = new CancellationTokenSource();
        var stopping = worker.Host.StopAsync(shutdownTimeout.Token);
        await Poll.UntilAsync(() => worker.Worker(12).Count == 1, Patience, () => "the worker stops receiving");
        await shutdownTimeout.CancelAsync();
        await stopping;
        await Poll.UntilAsync(() => worker.Probe.Running == 0, Patience, () => "the handler was cancelled");

        worker.Probe.Completed.Should().BeEmpty();
        (await queue.CountAsync()).Should().Be(1, "the message was not acknowledged");
        await Poll.UntilAsync(() => worker.Worker(6).Count == 1, Patience, () => "the abandoned message is logged");
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
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        await queue.SendNotificationsAsync(2);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:QueueUrl"] = queue.QueueUrl,
            ["Notifications:MaxConcurrency"] = "1",
            ["Notifications:WaitTime"] = "00:00:01",
        }).Build();
        await using var worker = WorkerHost.Create(emulator.Sqs, configuration.GetSection("Notifications"));

        await worker.StartAsync();

        await Poll.UntilAsync(async () => worker.Probe.Completed.Count == 2 && await queue.CountAsync() == 0, Patience, () => "handled and acknowledged");
        worker.Probe.MaxRunning.Should().Be(1);
        worker.Worker(1).Single().Message.Should().Contain(queue.QueueUrl).And.Contain("at most 1 at a time");
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
        Environment.SetEnvironmentVariable("AWS_REGION", SnsSqsEmulator.Region);
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        await queue.SendNotificationsAsync(1);
        await using var worker = WorkerHost.Create(null, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.ServiceUrl = emulator.ServiceUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });

        await worker.StartAsync();

        await Poll.UntilAsync(async () => worker.Probe.Completed.Count == 1 && await queue.CountAsync() == 0, Patience, () => "handled and acknowledged");
    }

    [Fact]
    public async Task Worker_ReceiveFailsForAWhile_BacksOffOnItsClockAndRecovers()
    {
        await using var emulator = await SnsSqsEmulator.StartAsync();
        var name = $"t-{Guid.NewGuid():N}";
        var queue = await emulator.CreateQueueAsync(name);
        var time = new FakeTimeProvider();
        // No retries inside the SDK: every failed receive reaches the worker's own backoff.
        using var sqs = new RecordingSqsClient(emulator, time, config => config.MaxErrorRetry = 0);
        await using var worker = WorkerHost.Create(sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        }, time);
        await worker.StartAsync();

        await emulator.Fauxqs.StopAsync();
        await worker.AdvanceUntilAsync(MaxBackoff, () => Failed(sqs).Count >= 3, Patience, () => $"three failed receives, not {Failed(sqs).Count}");

        var failed = Failed(sqs);
        failed.Zip(failed.Skip(1)).Should().AllSatisfy(
            pair => pair.Second.At.Should().BeAfter(pair.First.At, "each retry waits for the worker's clock: none follows a failure at once"));
        var delays = worker.Worker(10).Select(e => (TimeSpan)e.Properties.Single(p => p.Key == "Delay").Value!).ToList();
        delays.Should().HaveCountGreaterThanOrEqualTo(3).And.AllSatisfy(delay => delay.Should().BePositive().And.BeLessThanOrEqualTo(MaxBackoff));

        await emulator.Fauxqs.RestartAsync();
        var recreated = await emulator.CreateQueueAsync(name);
        recreated.QueueUrl.Should().Be(queue.QueueUrl);
        await recreated.SendNotificationsAsync(1);

        await worker.AdvanceUntilAsync(MaxBackoff, () => worker.Probe.Completed.Count == 1, Patience, () => "handled after the outage");
        worker.Worker(LogLevel.Critical).Should().BeEmpty();
    }

    private static List<RecordedReceive> Failed(RecordingSqsClient sqs) => sqs.Receives.Where(r => r.Error is not null).ToList();
}
