using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessEventStore.Server.Health;

/// <summary>One dependency: <c>ready</c>, or <c>failing</c> with the kind of failure and the reason.</summary>
internal sealed record DependencyReadiness(
    string Name,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Kind,
    string? Reason)
{
    public static DependencyReadiness From(string name, HealthReportEntry entry) => entry.Status == HealthStatus.Healthy
        ? new(name, "ready", null, entry.Description)
        : new(name, "failing", DependencyCheck.Name(DependencyCheck.KindOf(entry)), DependencyCheck.ReasonOf(entry));
}
