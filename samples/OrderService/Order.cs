namespace OrderService;

internal sealed record OrderLine(string Sku, int Quantity);

/// <summary>
/// An order, rebuilt from its events. <see cref="Revision"/> is the stream revision it was rebuilt at: the expected
/// revision of the next append. The decision methods return the events to append, or throw
/// <see cref="OrderRuleException"/> when the command is not allowed in the order's current state.
/// </summary>
internal sealed record Order(Guid Id, string Customer, IReadOnlyList<OrderLine> Lines, bool Shipped, int Revision)
{
    public static Order Start(Guid id, OrderPlaced placed) => new(id, placed.Customer, [], false, 0);

    public Order Apply(IOrderEvent change) => change switch
    {
        ItemAdded added => this with { Lines = [.. Lines, new OrderLine(added.Sku, added.Quantity)] },
        OrderShipped => this with { Shipped = true },
        _ => this,
    };

    public IReadOnlyList<IOrderEvent> AddItem(string sku, int quantity) =>
        Shipped ? throw new OrderRuleException($"Order {Id} has shipped: no items can be added.") : [new ItemAdded(sku, quantity)];

    public IReadOnlyList<IOrderEvent> Ship()
    {
        if (Shipped)
        {
            return []; // Shipping twice changes nothing.
        }

        return Lines.Count == 0
            ? throw new OrderRuleException($"Order {Id} has no items to ship.")
            : [new OrderShipped(DateTimeOffset.UtcNow)];
    }
}

/// <summary>A command that the order's current state does not allow.</summary>
internal sealed class OrderRuleException(string message) : Exception(message);
