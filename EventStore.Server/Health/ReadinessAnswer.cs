using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessEventStore.Server.Health;

/// <summary>The body of <c>/health/ready</c>: <c>ready</c> or <c>unready</c>, and one entry per dependency.</summary>
internal sealed record ReadinessAnswer(string Status, IReadOnlyList<DependencyReadiness> Dependencies)
{
    public static ReadinessAnswer From(HealthReport report) => new(
        report.Status == HealthStatus.Healthy ? "ready" : "unready",
        [.. report.Entries.Select(entry => DependencyReadiness.From(entry.Key, entry.Value))]);
}

