using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessEventStore.Server.Health;

/// <summary>
/// Runs the readiness checks once as the server starts and logs one line per failing dependency, naming it and why:
/// a warning when the failure may pass (unreachable, throttled), an error when the settings must change (no
/// credentials, a missing table or topic, an unwritable file). The server starts either way; <c>/health/ready</c>
/// answers 503 until the dependency is ready. In the background, once the server listens: neither a slow dependency
/// nor the checks' own work (resolving the health checks, a connection of their own) is on the path to the first answer.
/// </summary>
internal sealed partial class ReadinessStartupLog(ReadinessReport readiness, IHostApplicationLifetime lifetime, ILogger<ReadinessStartupLog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var report = await readiness.GetAsync().WaitAsync(stoppingToken);
        foreach (var (name, entry) in report.Entries.Where(entry => entry.Value.Status != HealthStatus.Healthy))
        {
            var kind = DependencyCheck.KindOf(entry);
            var reason = DependencyCheck.ReasonOf(entry);
            if (DependencyCheck.MayPass(kind))
            {
                LogNotReady(logger, name, DependencyCheck.Name(kind), reason);
            }
            else
            {
                LogMisconfigured(logger, name, DependencyCheck.Name(kind), reason);
            }
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Warning, Message = "Dependency {Dependency} is not ready ({Kind}); readiness answers 503 until it is: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string dependency, string kind, string reason);

    [LoggerMessage(EventId = 121, Level = LogLevel.Error, Message = "Dependency {Dependency} is misconfigured ({Kind}); readiness answers 503 until its settings are fixed: {Reason}")]
    private static partial void LogMisconfigured(ILogger logger, string dependency, string kind, string reason);
}
