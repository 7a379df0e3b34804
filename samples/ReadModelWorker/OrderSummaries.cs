using System.Collections.Concurrent;
using ServerlessEventStore.Types;

namespace ReadModelWorker;

/// <summary>One order as the read side shows it. <see cref="Revision"/> is the checkpoint: the last event applied.</summary>
internal sealed record OrderSummary(Guid OrderId, string Customer, int ItemCount, bool Shipped, int Revision);

/// <summary>The read model, kept in memory: one summary per order. A real one would store rows and checkpoints together.</summary>
internal sealed class OrderSummaries
{
    public const string StreamType = "order";

    private readonly ConcurrentDictionary<Guid, OrderSummary> _orders = new();
    private readonly Lock _lock = new();

    public int Revision(Guid orderId) => _orders.TryGetValue(orderId, out var summary) ? summary.Revision : 0;

    public OrderSummary? Find(Guid orderId) => _orders.GetValueOrDefault(orderId);

    public IReadOnlyList<OrderSummary> All() => [.. _orders.Values.OrderBy(summary => summary.OrderId)];

    public void Remove(Guid orderId)
    {
        lock (_lock)
        {
            _orders.TryRemove(orderId, out _);
        }
    }

    public void Apply(RecordedEvent recorded)
    {
        lock (_lock)
        {
            var current = Find(recorded.StreamId);
            // Handlers may run concurrently for one stream: an event is applied once, in revision order.
            if (recorded.Revision != (current?.Revision ?? 0) + 1)
            {
                return;
            }

            var next = (current, recorded.EventType) switch
            {
                (null, "order-placed") => new OrderSummary(recorded.StreamId, recorded.GetPayload<OrderPlaced>()!.Customer, 0, false, 0),
                (null, _) => null, // not an order stream as this read model knows it
                (_, "item-added") => current with { ItemCount = current.ItemCount + recorded.GetPayload<ItemAdded>()!.Quantity },
                (_, "order-shipped") => current with { Shipped = true },
                _ => current, // event types this read model does not show
            };
            if (next is not null)
            {
                _orders[recorded.StreamId] = next with { Revision = recorded.Revision };
            }
        }
    }

    private sealed record OrderPlaced(string Customer);

    private sealed record ItemAdded(string Sku, int Quantity);
}
