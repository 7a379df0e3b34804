namespace ServerlessEventStore.Client;

/// <summary>
/// Names under which <see cref="EventStoreClient"/> reports traces and metrics, for an OpenTelemetry set-up:
/// <c>tracing.AddSource(EventStoreClientTelemetry.ActivitySourceName)</c>,
/// <c>metrics.AddMeter(EventStoreClientTelemetry.MeterName)</c>. The HTTP requests themselves are traced by the
/// HttpClient's own instrumentation, as children of the client's activities.
/// </summary>
public static class EventStoreClientTelemetry
{
    /// <summary>Name of the <see cref="System.Diagnostics.ActivitySource"/> of the client's operations.</summary>
    public const string ActivitySourceName = "EventStore.Client";

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> of the client's instruments.</summary>
    public const string MeterName = "EventStore.Client";
}
