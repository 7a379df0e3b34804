using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessEventStore.Server.Health;

/// <summary>
/// The readiness checks' latest report, taken at most every <see cref="MaxAge"/>: however often a load balancer or a
/// person polls, the store and the topic get one cheap call per dependency per interval, and concurrent callers share
/// the checks under way.
/// </summary>
internal sealed class ReadinessReport(HealthCheckService health, TimeProvider timeProvider)
{
    /// <summary>How long a report is answered again before the checks run anew.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private Task<HealthReport>? _latest;
    private long _takenAt;

    /// <summary>The latest report, or a new one when it is older than <see cref="MaxAge"/>.</summary>
    public Task<HealthReport> GetAsync()
    {
        lock (_lock)
        {
            if (_latest is null || (_latest.IsCompleted && timeProvider.GetElapsedTime(_takenAt) >= MaxAge))
            {
                _takenAt = timeProvider.GetTimestamp();
                // Not the caller's token: the checks end by their own timeout, and other callers may wait for them.
                _latest = health.CheckHealthAsync(registration => registration.Tags.Contains(DependencyCheck.ReadyTag), CancellationToken.None);
            }

            return _latest;
        }
    }
}
