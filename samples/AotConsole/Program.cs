using AotConsole;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

// The event store's address from configuration: EventStore__BaseAddress=http://… (or --EventStore:BaseAddress=…).
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddEventStoreClient(builder.Configuration.GetSection("EventStore"));
using var host = builder.Build();
await host.StartAsync(); // validates the client's options
var client = host.Services.GetRequiredService<EventStoreClient>();

// Payloads and metadata through the source-generated OrderJson: the overloads taking a JsonTypeInfo need no reflection.
var orderId = Guid.NewGuid();
var context = new RequestContext(Guid.NewGuid());
var stream = await client.CreateStreamAsync("order", orderId, NewEvent.Create(
    "order-placed", new OrderPlaced("ACME"), OrderJson.Default.OrderPlaced, context, OrderJson.Default.RequestContext));
stream = await client.AppendAsync("order", orderId, stream.Revision,
[
    NewEvent.Create("item-added", new ItemAdded("A-1", 2), OrderJson.Default.ItemAdded),
    NewEvent.Create("item-added", new ItemAdded("B-7", 1), OrderJson.Default.ItemAdded),
]);
Console.WriteLine($"order {orderId} at revision {stream.Revision}");

// A writer that decided on an old revision is refused, and told the stream's revision.
try
{
    await client.AppendAsync("order", orderId, 1, NewEvent.Create("item-added", new ItemAdded("C-3", 1), OrderJson.Default.ItemAdded));
}
catch (WrongExpectedRevisionException conflict)
{
    Console.WriteLine($"conflict: expected revision {conflict.ExpectedRevision}, the stream is at {conflict.ActualRevision}");
}

await foreach (var recorded in client.GetEventsAsync("order", orderId))
{
    var text = recorded.EventType switch
    {
        "order-placed" => $"customer {recorded.GetPayload(OrderJson.Default.OrderPlaced)!.Customer}, correlation {recorded.GetMetadata(OrderJson.Default.RequestContext)!.CorrelationId}",
        "item-added" when recorded.GetPayload(OrderJson.Default.ItemAdded) is { } added => $"{added.Quantity} x {added.Sku}",
        _ => recorded.Payload.GetRawText(),
    };
    Console.WriteLine($"{recorded.Revision}: {recorded.EventType} {text}");
}

await host.StopAsync();
