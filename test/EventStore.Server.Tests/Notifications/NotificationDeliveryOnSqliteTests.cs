using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>The end-to-end notification scenario on the embedded store: its outbox relay publishes.</summary>
public sealed class NotificationDeliveryOnSqliteTests : NotificationDeliveryTests
{
    protected override Task<EventStoreServerFixture> StartServerAsync(Dictionary<string, string?> configuration) =>
        NotifyingServer.StartAsync(configuration);

    protected override async Task WaitUntilPublishedAsync(EventStoreServerFixture server, TimeSpan patience)
    {
        var outbox = server.Services.GetRequiredService<INotificationOutbox>();
        var deadline = DateTime.UtcNow + patience;
        while ((await outbox.ReadOutboxAsync(1, CancellationToken.None)).Count > 0)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "every notification should be published and removed from the outbox");
            await Task.Delay(20);
        }
    }
}
