
namespace ServerlessEventStore.Server.Storage;

/// <summary>Prepares the store before the server takes requests, so that a missing schema fails start-up, not a request.</summary>
internal sealed class EventStorageInitializer(IEventStorage storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
