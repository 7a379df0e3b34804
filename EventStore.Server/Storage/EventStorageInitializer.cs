namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// Prepares the store before the server takes requests (its schema; the table, when it is to be created). A store that
/// can't be prepared — unreachable, misconfigured — does not stop the server: readiness reports it (and
/// <see cref="Health.ReadinessStartupLog"/> logs it), and requests are answered 503 until it is fixed. A file written by a
/// newer version of the server still fails start-up.
/// </summary>
internal sealed class EventStorageInitializer(IEventStorage storage) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await storage.InitializeAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is StorageUnavailableException or StorageMisconfiguredException)
        {
            // Reported by readiness, which checks the store again.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
