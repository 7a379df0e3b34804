using ServerlessEventStore.Client;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using OrderService;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddEventStoreClient(builder.Configuration.GetSection("EventStore"));
// Scoped, like the client it uses: each request gets a client from the factory, whose connections are renewed.
builder.Services.AddScoped<OrderStore>();
builder.Services.AddProblemDetails();

// Traces and metrics of the event store client, next to ASP.NET Core's and HttpClient's. The console exporter keeps the
// sample self-contained; an application exports to its collector with AddOtlpExporter() instead.
builder.Services.AddOpenTelemetry()
    .WithTracing(tracing => tracing
        .AddSource(EventStoreClientTelemetry.ActivitySourceName)
        .AddAspNetCoreInstrumentation()
        .AddHttpClientInstrumentation()
        .AddConsoleExporter())
    .WithMetrics(metrics => metrics
        .AddMeter(EventStoreClientTelemetry.MeterName)
        .AddAspNetCoreInstrumentation()
        .AddConsoleExporter());

var app = builder.Build();
app.MapOrderEndpoints();
app.Run();
