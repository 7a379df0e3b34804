using ServerlessEventStore.Client;

namespace OrderService;

/// <summary>
/// Orders as event streams: rebuilt by reading their events with <c>await foreach</c>, changed by appending events at
/// the revision the decision was based on. When another writer appended first (<see cref="WrongExpectedRevisionException"/>),
/// the order is read again, the command decided again on the new state, and the append retried — a bounded number of times.
/// </summary>
internal sealed partial class OrderStore(EventStoreClient eventStore, ILogger<OrderStore> logger)
{
    public const int MaxAttempts = 5;

    public async Task<Order> PlaceAsync(string customer, CancellationToken cancellationToken)
    {
        var placed = new OrderPlaced(customer);
        // The id is chosen here, so a retried create (by the client's resilience handler) is idempotent.
        var orderId = Guid.NewGuid();
        var stream = await eventStore.CreateStreamAsync(OrderEvents.StreamType, orderId, OrderEvents.ToNewEvent(placed), cancellationToken);
        return Order.Start(orderId, placed) with { Revision = stream.Revision };
    }

    /// <summary>The order rebuilt from all its events; null if there is no such order.</summary>
    public async Task<Order?> LoadAsync(Guid orderId, CancellationToken cancellationToken)
    {
        Order? order = null;
        try
        {
            await foreach (var recorded in eventStore.GetEventsAsync(OrderEvents.StreamType, orderId, cancellationToken: cancellationToken))
            {
                var change = OrderEvents.FromRecorded(recorded);
                order = (order, change) switch
                {
                    (null, OrderPlaced placed) => Order.Start(orderId, placed),
                    (null, _) => throw new InvalidOperationException($"Order stream {orderId} does not begin with order-placed."),
                    (_, null) => order, // an event type this service does not know: skipped
                    _ => order.Apply(change),
                };
                order = order with { Revision = recorded.Revision };
            }
        }
        catch (StreamNotFoundException)
        {
            return null;
        }

        return order;
    }

    /// <summary>
    /// Runs a command: rebuilds the order, lets <paramref name="decide"/> choose the events, appends them at the order's
    /// revision, and on a conflict starts over with the order as it now is.
    /// </summary>
    /// <returns>The order after the command; null if there is no such order.</returns>
    /// <exception cref="WrongExpectedRevisionException">Other writers won all <see cref="MaxAttempts"/> attempts.</exception>
    public async Task<Order?> ExecuteAsync(Guid orderId, Func<Order, IReadOnlyList<IOrderEvent>> decide, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var order = await LoadAsync(orderId, cancellationToken);
            if (order is null)
            {
                return null;
            }

            var changes = decide(order);
            if (changes.Count == 0)
            {
                return order;
            }

            try
            {
                var stream = await eventStore.AppendAsync(
                    OrderEvents.StreamType, orderId, order.Revision, changes.Select(OrderEvents.ToNewEvent), cancellationToken);
                return changes.Aggregate(order, (current, change) => current.Apply(change)) with { Revision = stream.Revision };
            }
            catch (WrongExpectedRevisionException conflict) when (attempt < MaxAttempts)
            {
                LogConflict(orderId, conflict.ExpectedRevision, conflict.ActualRevision, attempt);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Order {OrderId} moved on (expected revision {Expected}, now {Actual}); deciding again after attempt {Attempt}")]
    private partial void LogConflict(Guid orderId, int expected, int? actual, int attempt);
}
