using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessEventStore.Client.Tests;

/// <summary>The README's client example, verbatim between the markers, run against the real server.</summary>
public sealed class ReadmeExampleTests(EventStoreServerFixture server) : IClassFixture<EventStoreServerFixture>
{
    [Fact]
    public async Task ReadmeExample_AgainstServer_AppendsAndReadsBack()
    {
        var services = new ServiceCollection();
        var eventStoreUrl = server.BaseAddress;

        // README example begins
        services.AddEventStoreClient(options => options.BaseAddress = eventStoreUrl);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<EventStoreClient>();

        // Create a stream: the client chooses its id, so a retry is safe.
        var orderId = Guid.NewGuid();
        var stream = await client.CreateStreamAsync("order", orderId,
            NewEvent.Create("order-placed", new OrderPlaced("ACME", 3)));

        // Append at the revision you decided on; a concurrent writer makes this throw WrongExpectedRevisionException.
        stream = await client.AppendAsync("order", orderId, stream.Revision,
            NewEvent.Create("order-shipped", new OrderShipped(DateTimeOffset.UtcNow)));

        // Read back: pages are fetched as the loop goes.
        await foreach (var recorded in client.GetEventsAsync("order", orderId))
        {
            Console.WriteLine($"{recorded.Revision}: {recorded.EventType}");
            if (recorded.EventType == "order-placed")
            {
                var placed = recorded.GetPayload<OrderPlaced>();
            }
        }
        // README example ends

        stream.Revision.Should().Be(2);
        var events = await client.GetEventsAsync("order", orderId).ToListAsync();
        events.Select(e => e.EventType).Should().Equal("order-placed", "order-shipped");
        events[0].GetPayload<OrderPlaced>().Should().Be(new OrderPlaced("ACME", 3));
    }

    private sealed record OrderPlaced(string Customer, int Quantity);

    private sealed record OrderShipped(DateTimeOffset At);
}
