using ServerlessEventStore.Types;

namespace OrderService;

/// <summary>What happened to an order: the payloads of the events in its stream.</summary>
internal interface IOrderEvent;

internal sealed record OrderPlaced(string Customer) : IOrderEvent;

internal sealed record ItemAdded(string Sku, int Quantity) : IOrderEvent;

internal sealed record OrderShipped(DateTimeOffset ShippedAt) : IOrderEvent;

/// <summary>Maps order events to the event store's event types and back.</summary>
internal static class OrderEvents
{
    public const string StreamType = "order";

    public static NewEvent ToNewEvent(IOrderEvent change) => change switch
    {
        OrderPlaced placed => NewEvent.Create("order-placed", placed),
        ItemAdded added => NewEvent.Create("item-added", added),
        OrderShipped shipped => NewEvent.Create("order-shipped", shipped),
        _ => throw new ArgumentOutOfRangeException(nameof(change), change.GetType().Name, "Not an order event."),
    };

    /// <summary>The order event a recorded event holds; null for event types this service does not know (yet).</summary>
    public static IOrderEvent? FromRecorded(RecordedEvent recorded) => recorded.EventType switch
    {
        "order-placed" => recorded.GetPayload<OrderPlaced>(),
        "item-added" => recorded.GetPayload<ItemAdded>(),
        "order-shipped" => recorded.GetPayload<OrderShipped>(),
        _ => null,
    };
}
