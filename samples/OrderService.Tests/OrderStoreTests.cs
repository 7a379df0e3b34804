using Microsoft.Extensions.Logging.Abstractions;
using ServerlessEventStore.Client;
using ServerlessEventStore.Types;

namespace OrderService.Tests;

/// <summary>
/// <see cref="OrderStore"/> on the real event store: the order is rebuilt from its events, the rules hold, and a
/// concurrent writer's append makes the command decide again instead of overwriting it.
/// </summary>
public sealed class OrderStoreTests(EventStoreFixture fixture) : IClassFixture<EventStoreFixture>
{
    private readonly OrderStore _orders = new(fixture.Store.Client, NullLogger<OrderStore>.Instance);

    [Fact]
    public async Task PlaceAsync_ThenLoadAsync_RebuildsTheOrderFromItsEvents()
    {
        var placed = await _orders.PlaceAsync("ACME", CancellationToken.None);
        await _orders.ExecuteAsync(placed.Id, order => order.AddItem("A-1", 2), CancellationToken.None);

        var loaded = await _orders.LoadAsync(placed.Id, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal("ACME", loaded.Customer);
        Assert.Equal([new OrderLine("A-1", 2)], loaded.Lines);
        Assert.Equal(2, loaded.Revision);
    }

    [Fact]
    public async Task LoadAsync_NoSuchOrder_IsNull()
    {
        Assert.Null(await _orders.LoadAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task ExecuteAsync_AnotherWriterAppendsFirst_DecidesAgainOnTheNewStateAndKeepsBothItems()
    {
        var placed = await _orders.PlaceAsync("ACME", CancellationToken.None);
        var decisions = 0;

        var result = await _orders.ExecuteAsync(
            placed.Id,
            order =>
            {
                if (++decisions == 1)
                {
                    // Another writer gets in between this command's read and its append.
                    new OrderStore(fixture.Store.Client, NullLogger<OrderStore>.Instance)
                        .ExecuteAsync(placed.Id, other => other.AddItem("B-7", 1), CancellationToken.None).GetAwaiter().GetResult();
                }

                return order.AddItem("A-1", 2);
            },
            CancellationToken.None);

        Assert.Equal(2, decisions);
        Assert.NotNull(result);
        Assert.Equal(3, result.Revision);
        var stored = await _orders.LoadAsync(placed.Id, CancellationToken.None);
        Assert.Equal([new OrderLine("B-7", 1), new OrderLine("A-1", 2)], stored!.Lines);
    }

    [Fact]
    public async Task ExecuteAsync_ShipTwice_AppendsOneShipment()
    {
        var placed = await _orders.PlaceAsync("ACME", CancellationToken.None);
        await _orders.ExecuteAsync(placed.Id, order => order.AddItem("A-1", 1), CancellationToken.None);

        await _orders.ExecuteAsync(placed.Id, order => order.Ship(), CancellationToken.None);
        var again = await _orders.ExecuteAsync(placed.Id, order => order.Ship(), CancellationToken.None);

        Assert.True(again!.Shipped);
        Assert.Equal(3, (await fixture.Store.Client.GetStreamAsync(OrderEvents.StreamType, placed.Id)).Revision);
    }

    [Fact]
    public async Task ExecuteAsync_ItemAfterShipping_IsRefusedAndNothingIsAppended()
    {
        var placed = await _orders.PlaceAsync("ACME", CancellationToken.None);
        await _orders.ExecuteAsync(placed.Id, order => order.AddItem("A-1", 1), CancellationToken.None);
        await _orders.ExecuteAsync(placed.Id, order => order.Ship(), CancellationToken.None);

        await Assert.ThrowsAsync<OrderRuleException>(
            () => _orders.ExecuteAsync(placed.Id, order => order.AddItem("late", 1), CancellationToken.None));

        Assert.Equal(3, (await fixture.Store.Client.GetStreamAsync(OrderEvents.StreamType, placed.Id)).Revision);
    }

    [Fact]
    public async Task LoadAsync_AnEventTypeTheServiceDoesNotKnow_IsSkipped()
    {
        var placed = await _orders.PlaceAsync("ACME", CancellationToken.None);
        await fixture.Store.Client.AppendAsync(OrderEvents.StreamType, placed.Id, placed.Revision, NewEvent.Create("gift-wrapped", new { Paper = "red" }));

        var loaded = await _orders.LoadAsync(placed.Id, CancellationToken.None);

        Assert.Equal(2, loaded!.Revision);
        Assert.Empty(loaded.Lines);
    }

    [Fact]
    public async Task ExecuteAsync_WritersKeepWinning_GivesUpAfterMaxAttempts()
    {
        var placed = await _orders.PlaceAsync("ACME", CancellationToken.None);
        var rival = new OrderStore(fixture.Store.Client, NullLogger<OrderStore>.Instance);

        var lost = await Assert.ThrowsAsync<WrongExpectedRevisionException>(() => _orders.ExecuteAsync(
            placed.Id,
            order =>
            {
                rival.ExecuteAsync(placed.Id, other => other.AddItem("rival", 1), CancellationToken.None).GetAwaiter().GetResult();
                return order.AddItem("mine", 1);
            },
            CancellationToken.None));

        Assert.Equal(OrderStore.MaxAttempts + 1, lost.ActualRevision);
    }
}
