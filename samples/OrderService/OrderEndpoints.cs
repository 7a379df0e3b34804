using ServerlessEventStore.Client;

namespace OrderService;

internal sealed record PlaceOrderRequest(string? Customer);

internal sealed record AddItemRequest(string? Sku, int Quantity);

/// <summary>The command side over HTTP: place an order, add items, ship it; and read an order's current state.</summary>
internal static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrderEndpoints(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/orders");
        orders.MapPost("/", PlaceAsync);
        orders.MapGet("/{orderId:guid}", GetAsync);
        orders.MapPost("/{orderId:guid}/items", AddItemAsync);
        orders.MapPost("/{orderId:guid}/ship", ShipAsync);
        return app;
    }

    private static async Task<IResult> PlaceAsync(PlaceOrderRequest request, OrderStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Customer))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["customer"] = ["A customer is required."] });
        }

        var order = await store.PlaceAsync(request.Customer, cancellationToken);
        return Results.Created($"/orders/{order.Id}", order);
    }

    private static async Task<IResult> GetAsync(Guid orderId, OrderStore store, CancellationToken cancellationToken) =>
        await store.LoadAsync(orderId, cancellationToken) is { } order ? Results.Ok(order) : Results.NotFound();

    private static Task<IResult> AddItemAsync(Guid orderId, AddItemRequest request, OrderStore store, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Sku) || request.Quantity < 1)
        {
            return Task.FromResult(Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["item"] = ["An item needs a sku and a quantity of at least 1."],
            }));
        }

        return ExecuteAsync(orderId, order => order.AddItem(request.Sku, request.Quantity), store, cancellationToken);
    }

    private static Task<IResult> ShipAsync(Guid orderId, OrderStore store, CancellationToken cancellationToken) =>
        ExecuteAsync(orderId, order => order.Ship(), store, cancellationToken);

    private static async Task<IResult> ExecuteAsync(
        Guid orderId, Func<Order, IReadOnlyList<IOrderEvent>> decide, OrderStore store, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ExecuteAsync(orderId, decide, cancellationToken) is { } order ? Results.Ok(order) : Results.NotFound();
        }
        catch (OrderRuleException rejected)
        {
            return Results.Problem(rejected.Message, statusCode: StatusCodes.Status409Conflict, title: "Not allowed in the order's state");
        }
        catch (WrongExpectedRevisionException)
        {
            return Results.Problem(
                $"The order kept changing during {OrderStore.MaxAttempts} attempts; try again.",
                statusCode: StatusCodes.Status409Conflict,
                title: "Concurrent changes");
        }
    }
}
