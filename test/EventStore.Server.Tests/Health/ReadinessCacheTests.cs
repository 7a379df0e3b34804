using System.Net;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using ServerlessEventStore.Server.Health;

namespace ServerlessEventStore.Server.Tests.Health;

/// <summary>However often <c>/health/ready</c> is polled, each dependency is checked at most once per <see cref="ReadinessReport.MaxAge"/>.</summary>
[Trait("Server", "InProcess")]
public sealed class ReadinessCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly CountingCheck _check = new();
    private readonly EventStoreServerFixture _server;

    public ReadinessCacheTests() => _server = EventStoreServerFixture.Create(configureServices: services =>
    {
        services.AddSingleton<TimeProvider>(_time);
        services.AddSingleton(_check);
        services.AddReadinessCheck<CountingCheck>("counting");
    });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Ready_PolledManyTimesWithinMaxAge_ChecksOnceThenAgainAfterIt()
    {
        using var client = _server.CreateHttpClient();
        // The start-up log takes the first report.
        await Poll.UntilAsync(() => _check.Count == 1, TimeSpan.FromSeconds(10), () => "the start-up check");

        for (var poll = 0; poll < 5; poll++)
        {
            using var response = await client.GetAsync(new Uri("health/ready", UriKind.Relative));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        _check.Count.Should().Be(1);
        _time.Advance(ReadinessReport.MaxAge);
        using (var afterMaxAge = await client.GetAsync(new Uri("health/ready", UriKind.Relative)))
        {
            afterMaxAge.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        _check.Count.Should().Be(2);
    }

    private sealed class CountingCheck : IHealthCheck
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return Task.FromResult(HealthCheckResult.Healthy());
        }
    }
}
