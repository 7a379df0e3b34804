using ServerlessEventStore.Testing;

namespace OrderService.Tests;

/// <summary>One real event store for the test class: started before its first test, stopped (and its file deleted) after the last.</summary>
public sealed class EventStoreFixture : IAsyncLifetime
{
    public EventStoreTestServer Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await EventStoreTestServer.StartAsync();

    public async Task DisposeAsync() => await Store.DisposeAsync();
}
