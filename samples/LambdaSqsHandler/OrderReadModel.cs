using System.Collections.Concurrent;
using ServerlessEventStore.Types;

namespace LambdaSqsHandler;

/// <summary>A read model kept in memory: each order's event types and the revision it has seen (its checkpoint).</summary>
internal sealed class OrderReadModel
{
    private readonly ConcurrentDictionary<Guid, List<string>> _orders = new();

    public int Revision(Guid orderId) => _orders.TryGetValue(orderId, out var events) ? events.Count : 0;

    public IReadOnlyList<string> EventTypes(Guid orderId)
    {
        if (!_orders.TryGetValue(orderId, out var events))
        {
            return [];
        }

        lock (events)
        {
            return [.. events];
        }
    }

    public void Remove(Guid orderId) => _orders.TryRemove(orderId, out _);

    public void Apply(RecordedEvent recorded)
    {
        var events = _orders.GetOrAdd(recorded.StreamId, _ => []);
        lock (events)
        {
            // At least once and unordered: an event already applied is skipped.
            if (recorded.Revision == events.Count + 1)
            {
                events.Add(recorded.EventType);
            }
        }
    }
}
