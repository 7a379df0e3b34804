using EventStore.Testing;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>The end-to-end notification scenario on the embedded store: its outbox relay publishes.</summary>
public sealed class NotificationDeliveryOnSqliteTests : NotificationDeliveryTests
{
    protected override Task<EventStoreServerFixture> StartServerAsync(Dictionary<string, string?> configuration) =>
        NotifyingServer.StartAsync(configuration);

    protected override Task WaitUntilPublishedAsync(EventStoreServerFixture server, TimeSpan patience) =>
        NotifyingServer.WaitUntilOutboxEmptyAsync(server, patience);
}
