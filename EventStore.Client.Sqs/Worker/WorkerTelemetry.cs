using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ServerlessEventStore.Client.Sqs.Worker;

/// <summary>
/// The worker's activities and instruments: an activity per handled message (the handler's own calls are its children),
/// a counter of handled notifications by result and a histogram of the handler's duration. Static, like the worker's
/// registration needs no meter factory; listeners (OpenTelemetry) pick them up by name.
/// </summary>
internal static class WorkerTelemetry
{
    public const string Success = "success";
    public const string Retry = "retry";
    public const string Failed = "failed";
    public const string Malformed = "malformed";

    private const string HandlerTag = "eventstore.handler";
    private const string StreamTypeTag = "eventstore.stream_type";
    private const string ResultTag = "eventstore.result";

    private static readonly string? Version = typeof(WorkerTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource Source = new(EventStoreNotificationTelemetry.ActivitySourceName, Version);
    private static readonly Meter Meter = new(EventStoreNotificationTelemetry.MeterName, Version);

    private static readonly Counter<long> Handled = Meter.CreateCounter<long>(
        "eventstore.worker.notifications.handled", "{notification}", "Messages the worker took from the queue, by result.");

    private static readonly Histogram<double> HandlerDuration = Meter.CreateHistogram<double>(
        "eventstore.worker.handler.duration", "ms", "Duration of the notification handler.");

    /// <summary>Starts the activity of one received message, with what is known of it before the handler runs.</summary>
    public static Activity? Start(string handler, ReceivedNotification message)
    {
        var activity = Source.StartActivity("eventstore.notification.handle", ActivityKind.Consumer);
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        activity.SetTag("messaging.system", "aws_sqs");
        activity.SetTag("messaging.message.id", message.MessageId);
        activity.SetTag("eventstore.receive_count", message.ReceiveCount);
        activity.SetTag(HandlerTag, handler);
        if (!message.IsMalformed)
        {
            activity.SetTag(StreamTypeTag, message.Notification.StreamType);
            activity.SetTag("eventstore.stream_id", message.Notification.StreamId.ToString("D"));
            activity.SetTag("eventstore.revision", message.Notification.StreamRevision);
        }

        return activity;
    }

    /// <summary>Marks the activity as failed by <paramref name="exception"/>.</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        activity?.SetTag("error.type", exception.GetType().FullName);
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
    }

    /// <summary>Records the result of one message; <paramref name="handlerDuration"/> is null when no handler ran.</summary>
    public static void Complete(Activity? activity, string handler, ReceivedNotification message, string result, TimeSpan? handlerDuration)
    {
        activity?.SetTag(ResultTag, result);
        var tags = new TagList { { HandlerTag, handler }, { ResultTag, result } };
        if (!message.IsMalformed)
        {
            tags.Add(StreamTypeTag, message.Notification.StreamType);
        }
        else
        {
            activity?.SetStatus(ActivityStatusCode.Error, message.FormatError.Message);
        }

        Handled.Add(1, tags);
        if (handlerDuration is { } duration)
        {
            HandlerDuration.Record(duration.TotalMilliseconds, tags);
        }
    }
}
