using ServerlessEventStore.Client;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrderService;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventStoreClient(builder.Configuration.GetSection("EventStore"));
// Scoped, like the client it uses: each request gets a client from the factory, whose connections are renewed.
builder.Services.AddScoped<OrderStore>();
builder.Services.AddProblemDetails();

// Traces and metrics of the event store client, next to ASP.NET Core's and HttpClient's. Telemetry:Console=true writes
// them to the console, which keeps the sample self-contained (and floods it, so it is off by default); an application
// exports to its collector with AddOtlpExporter() instead.
var toConsole = builder.Configuration.GetValue<bool>("Telemetry:Console");
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing =>
    {
        tracing.AddSource(EventStoreClientTelemetry.ActivitySourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
        if (toConsole)
        {
            tracing.AddConsoleExporter();
        }
    })
    .WithMetrics(metrics =>
    {
        metrics.AddMeter(EventStoreClientTelemetry.MeterName).AddAspNetCoreInstrumentation();
        if (toConsole)
        {
            metrics.AddConsoleExporter();
        }
    });

var app = builder.Build();
app.MapOrderEndpoints();
app.Run();
