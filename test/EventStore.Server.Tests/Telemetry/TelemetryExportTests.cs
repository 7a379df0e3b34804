using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ServerlessEventStore.Server.Tests.Telemetry;

/// <summary>OpenTelemetry export is wired into the server behind configuration, and off by default.</summary>
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Server_Defaults_RegistersNoOpenTelemetry()
    {
        await using var server = await StartAsync(new Dictionary<string, string?>());

        server.Services.GetService<TracerProvider>().Should().BeNull();
        server.Services.GetService<MeterProvider>().Should().BeNull();
    }

    [Fact]
    public async Task Server_TelemetryConsole_RegistersTracerAndMeterProviders()
    {
        await using var server = await StartAsync(new Dictionary<string, string?> { ["EventStore:Telemetry:Console"] = "true" });

        server.Services.GetService<TracerProvider>().Should().NotBeNull();
        server.Services.GetService<MeterProvider>().Should().NotBeNull();
    }

    [Fact]
    public async Task Server_OtlpEndpoint_RegistersTracerAndMeterProviders()
    {
        // Nothing listens there: the exporter's failed sends must not disturb the server.
        await using var server = await StartAsync(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });
        using var client = server.Fixture.CreateHttpClient();

        using var response = await client.GetAsync(new Uri("liveness-check", UriKind.Relative));

        response.IsSuccessStatusCode.Should().BeTrue();
        server.Services.GetService<TracerProvider>().Should().NotBeNull();
        server.Services.GetService<MeterProvider>().Should().NotBeNull();
    }

    private static async Task<RunningServer> StartAsync(Dictionary<string, string?> configuration)
    {
        var fixture = EventStoreServerFixture.Create(configuration);
        await fixture.InitializeAsync();
        return new RunningServer(fixture);
    }

    private sealed class RunningServer(EventStoreServerFixture fixture) : IAsyncDisposable
    {
        public EventStoreServerFixture Fixture { get; } = fixture;

        public IServiceProvider Services => Fixture.Services;

        public async ValueTask DisposeAsync() => await Fixture.DisposeAsync();
    }
}
