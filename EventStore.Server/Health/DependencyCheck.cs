using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessEventStore.Server.Health;

/// <summary>
/// The results of the server's readiness checks, one per dependency: healthy, or unhealthy with a reason a person can
/// act on and the <see cref="DependencyFailureKind"/> (in the result's data), which says whether it may pass.
/// </summary>
internal static class DependencyCheck
{
    /// <summary>The tag of the checks that <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>How long one check may take before it counts as unreachable.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private const string KindKey = "kind";

    public static HealthCheckResult Healthy(string description) => HealthCheckResult.Healthy(description);

    public static HealthCheckResult Failed(DependencyFailureKind kind, string reason) =>
        HealthCheckResult.Unhealthy(reason, data: new Dictionary<string, object> { [KindKey] = kind });

    /// <summary>The kind of an unhealthy entry; a check that timed out or threw (no kind of its own) was not answered.</summary>
    public static DependencyFailureKind KindOf(HealthReportEntry entry) =>
        entry.Data.TryGetValue(KindKey, out var kind) && kind is DependencyFailureKind known ? known : DependencyFailureKind.Unreachable;

    /// <summary>Why an unhealthy entry failed.</summary>
    public static string ReasonOf(HealthReportEntry entry) => entry.Description ?? "The check did not finish in time.";

    /// <summary>Whether a failure of this kind may pass without anyone changing the server's settings.</summary>
    public static bool MayPass(DependencyFailureKind kind) => kind is DependencyFailureKind.Unreachable or DependencyFailureKind.Unavailable;

    /// <summary>The kind as the readiness answer spells it (<c>unreachable</c>, <c>credentials</c>, …).</summary>
    public static string Name(DependencyFailureKind kind) => kind switch
    {
        DependencyFailureKind.Unreachable => "unreachable",
        DependencyFailureKind.Unavailable => "unavailable",
        DependencyFailureKind.Credentials => "credentials",
        DependencyFailureKind.Missing => "missing",
        DependencyFailureKind.Unwritable => "unwritable",
        _ => "incompatible",
    };
}
