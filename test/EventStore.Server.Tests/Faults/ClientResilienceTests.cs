using ServerlessEventStore.Client;
using ServerlessEventStore.Types;
using Microsoft.Extensions.DependencyInjection;
using static ServerlessEventStore.Server.Tests.Faults.FaultInjectedDynamoDbServer;

namespace ServerlessEventStore.Server.Tests.Faults;

/// <summary>
/// End to end: <see cref="EventStoreClient"/> as applications register it (standard resilience handler on) against a
/// server whose DynamoDB fails more often than the adapter retries. The 503 goes back to the client, whose handler
/// retries it, and the event lands exactly once.
/// </summary>
public sealed class ClientResilienceTests(FaultInjectedDynamoDbServer server) : IClassFixture<FaultInjectedDynamoDbServer>, IAsyncLifetime
{
    private readonly AttemptCounter _attempts = new();
    private ServiceProvider _provider = null!;
    private EventStoreClient _client = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        // The counter sits inside the resilience handler, so it sees every attempt the handler makes.
        services.AddEventStoreClient(options => options.BaseAddress = server.BaseAddress).AddHttpMessageHandler(() => _attempts);
        _provider = services.BuildServiceProvider();
        _client = _provider.GetRequiredService<EventStoreClient>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        server.DisarmAll();
        await _provider.DisposeAsync();
    }

    [Theory]
    [InlineData("Throttling")]
    [InlineData("TransactionConflict")]
    public async Task AppendAsync_MoreFaultsThanTheAdapterRetries_ClientRetriesThe503AndTheEventLandsOnce(string fault)
    {
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());
        var placed = NewEvent.Create("order-placed", new { Quantity = 3 });
        var created = await _client.CreateStreamAsync(type, id, placed);
        var shipped = NewEvent.Create("order-shipped", new { Carrier = "ACME" });
        server.TransactWriteItems.Arm(Fault(fault), times: MaxAttempts + 1);
        _attempts.Reset();

        var stream = await _client.AppendAsync(type, id, created.Revision, shipped);

        stream.Revision.Should().Be(2);
        _attempts.Count.Should().Be(2, "the first attempt got a 503 after the adapter's own retries, the second succeeded");
        server.TransactWriteItems.Calls.Should().Be(MaxAttempts + 2);
        var events = await _client.GetEventsAsync(type, id).ToListAsync();
        events.Select(e => (e.Revision, e.EventId)).Should().Equal((1, placed.EventId), (2, shipped.EventId));
    }

    [Fact]
    public async Task AppendAsync_WritesLandButTheirAnswersAreLost_ClientRetriesAndTheEventIsStoredOnce()
    {
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());
        var placed = NewEvent.Create("order-placed", new { Quantity = 3 });
        // Every attempt of the first request reaches DynamoDB and loses its answer: the first one stored the event.
        server.TransactWriteItems.Arm(Fault("InternalServerError"), times: MaxAttempts, afterForwarding: true);
        _attempts.Reset();

        var stream = await _client.CreateStreamAsync(type, id, placed);

        stream.Revision.Should().Be(1);
        _attempts.Count.Should().Be(2);
        var events = await _client.GetEventsAsync(type, id).ToListAsync();
        events.Should().ContainSingle().Which.EventId.Should().Be(placed.EventId);
    }
}
