using Microsoft.Extensions.Diagnostics.HealthChecks;
using ServerlessEventStore.Server.Health;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// Readiness of the embedded store: its file can be opened and written and its schema is in place
/// (<see cref="SqliteEventStorage.CheckWritableAsync"/>). When not, the reason names the file.
/// </summary>
internal sealed class SqliteReadinessCheck(SqliteEventStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.CheckWritableAsync(cancellationToken);
            return DependencyCheck.Healthy($"The SQLite file '{storage.Path}' is writable.");
        }
        catch (StorageMisconfiguredException exception)
        {
            return DependencyCheck.Failed(DependencyFailureKind.Unwritable, exception.Message);
        }
        catch (StorageUnavailableException exception)
        {
            return DependencyCheck.Failed(DependencyFailureKind.Unavailable, exception.Message);
        }
        catch (InvalidOperationException exception)
        {
            // A file of a newer schema version.
            return DependencyCheck.Failed(DependencyFailureKind.Incompatible, $"The SQLite file '{storage.Path}': {exception.Message}");
        }
    }
}
