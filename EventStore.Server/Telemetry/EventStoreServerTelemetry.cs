namespace ServerlessEventStore.Server.Telemetry;

/// <summary>
/// Names under which the server reports traces and metrics, for an OpenTelemetry set-up:
/// <c>tracing.AddSource(EventStoreServerTelemetry.ActivitySourceName)</c>,
/// <c>metrics.AddMeter(EventStoreServerTelemetry.MeterName)</c>. The README's "Observability" section lists the activities,
/// instruments and tags.
/// </summary>
public static class EventStoreServerTelemetry
{
    /// <summary>Name of the <see cref="System.Diagnostics.ActivitySource"/> of the storage operations.</summary>
    public const string ActivitySourceName = "EventStore.Server";

    /// <summary>Name of the <see cref="System.Diagnostics.Metrics.Meter"/> of the server's instruments.</summary>
    public const string MeterName = "EventStore.Server";
}
