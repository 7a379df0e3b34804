using ServerlessEventStore.Server.Telemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// Exports the server's traces and metrics (and, over OTLP, its logs) with OpenTelemetry when configured:
/// <c>EventStore:Telemetry:Console=true</c> writes them to the console, an <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> sends them
/// there (the exporter reads the other <c>OTEL_*</c> variables itself). Off by default: with neither, nothing is
/// registered and the activities and instruments cost next to nothing.
/// </summary>
internal static class TelemetryRegistration
{
    public const string ConsoleKey = "EventStore:Telemetry:Console";
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private const string ServiceName = "EventStore.Server";

    public static WebApplicationBuilder AddEventStoreTelemetry(this WebApplicationBuilder builder)
    {
        var console = builder.Configuration.GetValue<bool>(ConsoleKey);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        if (!console && !otlp)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(EventStoreServerTelemetry.ActivitySourceName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (console)
                {
                    tracing.AddConsoleExporter();
                }

                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(EventStoreServerTelemetry.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (console)
                {
                    metrics.AddConsoleExporter();
                }

                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (otlp)
        {
            // The console already has the logs; the scopes carry the request id.
            telemetry.WithLogging(logging => logging.AddOtlpExporter(), options => options.IncludeScopes = true);
        }

        return builder;
    }
}
