namespace ServerlessEventStore.Client.Sqs;

/// <summary>
/// Names under which the notification worker (<c>AddEventStoreNotificationHandler</c>) reports traces and metrics, for an
/// OpenTelemetry set-up: <c>tracing.AddSource(EventStoreNotificationTelemetry.ActivitySourceName)</c>,
/// <c>metrics.AddMeter(EventStoreNotificationTelemetry.MeterName)</c>.
/// </summary>
public static class EventStoreNotificationTelemetry
{
    /// <summary>Name of the <see cref="System.Diagnostics.ActivitySource"/> of the handled notifications.</summary>
    public const string ActivitySourceName = "EventStore.Client.Sqs";

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> of the worker's instruments.</summary>
    public const string MeterName = "EventStore.Client.Sqs";
}
