using System.Diagnostics;
using EventStore.Testing;
using EventStore.Testing.Telemetry;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Client.Sqs.Tests.Telemetry;

/// <summary>The worker's activities and instruments, seen through the BCL's listeners, with fauxqs.</summary>
public sealed class WorkerTelemetryTests : IDisposable
{
    private const string StreamTypeTag = "eventstore.stream_type";
    private const string Handled = "eventstore.worker.notifications.handled";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly TelemetryRecorder _recorder = new(EventStoreNotificationTelemetry.ActivitySourceName, EventStoreNotificationTelemetry.MeterName);

    public void Dispose() => _recorder.Dispose();

    [Fact]
    public async Task Worker_HandlerSucceeds_RecordsActivityHandledCounterAndDuration()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        var notification = new StreamNotification(Guid.NewGuid(), $"t-{Guid.NewGuid():N}", 7);
        var messageId = await queue.SendAsync(notification);
        await using var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });

        await worker.StartAsync();

        await Poll.UntilAsync(() => _recorder.Activities(StreamTypeTag, notification.StreamType).Count == 1, Patience, () => "the message's activity stopped");
        var activity = _recorder.Activities(StreamTypeTag, notification.StreamType)[0];
        activity.OperationName.Should().Be("eventstore.notification.handle");
        activity.Kind.Should().Be(ActivityKind.Consumer);
        activity.GetTagItem("eventstore.stream_id").Should().Be(notification.StreamId.ToString("D"));
        activity.GetTagItem("eventstore.revision").Should().Be(7);
        activity.GetTagItem("messaging.message.id").Should().Be(messageId);
        activity.GetTagItem("eventstore.receive_count").Should().Be(1);
        activity.GetTagItem("eventstore.result").Should().Be("success");
        _recorder.Measurements(Handled, StreamTypeTag, notification.StreamType)
            .Should().ContainSingle().Which.Tag("eventstore.result").Should().Be("success");
        var duration = _recorder.Measurements("eventstore.worker.handler.duration", StreamTypeTag, notification.StreamType).Should().ContainSingle().Subject;
        duration.Unit.Should().Be("ms");
        duration.Tag("eventstore.handler").Should().Be(nameof(ProbeHandler));
    }

    [Fact]
    public async Task Worker_HandlerThrowsThenAsksForRetry_CountsFailedAndRetry()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        var notification = new StreamNotification(Guid.NewGuid(), $"t-{Guid.NewGuid():N}", 1);
        await queue.SendAsync(notification);
        await using var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.VisibilityTimeout = TimeSpan.FromSeconds(1);
            o.WaitTime = TimeSpan.FromSeconds(1);
        });
        worker.Probe.Behavior = (call, _) => call.Context.ReceiveCount == 1
            ? throw new InvalidOperationException("read model unavailable")
            : Task.FromResult(call.Context.ReceiveCount == 2 ? NotificationResult.Retry(TimeSpan.Zero) : NotificationResult.Success());

        await worker.StartAsync();

        await Poll.UntilAsync(() => _recorder.Activities(StreamTypeTag, notification.StreamType).Count == 3, Patience, () => "three deliveries handled");
        _recorder.Measurements(Handled, StreamTypeTag, notification.StreamType).Select(m => m.Tag("eventstore.result"))
            .Should().Equal("failed", "retry", "success");
        var failed = _recorder.Activities(StreamTypeTag, notification.StreamType)[0];
        failed.Status.Should().Be(ActivityStatusCode.Error);
        failed.GetTagItem("error.type").Should().Be(typeof(InvalidOperationException).FullName);
        failed.GetTagItem("eventstore.result").Should().Be("failed");
    }

    [Fact]
    public async Task Worker_MalformedMessage_RecordsMalformedResult()
    {
        await using var emulator = await SnsSqsEmulator.SharedAsync();
        var queue = await emulator.CreateQueueAsync();
        var messageId = await queue.SendAsync("not a notification");
        await using var worker = WorkerHost.Create(emulator.Sqs, o =>
        {
            o.QueueUrl = queue.QueueUrl;
            o.WaitTime = TimeSpan.FromSeconds(1);
        });

        await worker.StartAsync();

        await Poll.UntilAsync(() => _recorder.Activities("messaging.message.id", messageId).Count > 0, Patience, () => "the malformed message's activity stopped");
        var activity = _recorder.Activities("messaging.message.id", messageId)[0];
        activity.GetTagItem("eventstore.result").Should().Be("malformed");
        activity.Status.Should().Be(ActivityStatusCode.Error);
        _recorder.Measurements(Handled, "eventstore.result", "malformed").Should().NotBeEmpty();
        worker.Probe.Calls.Should().BeEmpty();
    }
}
