using EventStore.Testing;
using ServerlessEventStore.Types;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessEventStore.Client.Tests;

/// <summary>The README's client examples, verbatim between the markers, run against the real server.</summary>
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

    [Fact]
    public async Task ReadmeReadsExample_AgainstServer_ReadsBackwardInRangesAndOnFromTheEnd()
    {
        var client = server.CreateClient();
        var orderId = Guid.NewGuid();
        await client.AppendAsync("order", orderId, 0, [
            NewEvent.Create("order-placed", new OrderPlaced("ACME", 3)),
            NewEvent.Create("order-noted", new { Note = "gift wrap" }),
            NewEvent.Create("order-shipped", new OrderShipped(DateTimeOffset.UtcNow))]);
        var seen = new List<int>();
        void Apply(RecordedEvent recorded) => seen.Add(recorded.Revision);

        // README reads example begins
        // The last event, in one request.
        var last = await client.ReadLastEventAsync("order", orderId);

        // Newest first, page by page; or only the revisions strictly between two bounds (here: the order as it was at 2).
        await foreach (var recorded in client.GetEventsAsync("order", orderId, ReadDirection.Backward))
        {
            Console.WriteLine($"{recorded.Revision}: {recorded.EventType}");
        }

        var asAtTwo = await client.GetEventsAsync("order", orderId, ReadDirection.Forward, beforeRevision: 3).ToListAsync();

        // Read to the end, keep the last page's token, and later read on from there: only what was appended since.
        string? position = null;
        await foreach (var page in client.GetEventsAsync("order", orderId).AsPages(position))
        {
            foreach (var recorded in page.Values)
            {
                Apply(recorded);
            }

            position = page.ContinuationToken;
        }
        // README reads example ends

        last!.EventType.Should().Be("order-shipped");
        asAtTwo.Select(e => e.Revision).Should().Equal(1, 2);
        seen.Should().Equal(1, 2, 3);
        position.Should().Be("3");
        await client.AppendAsync("order", orderId, 3, NewEvent.Create("order-delivered", new { }));
        var since = await client.GetEventsAsync("order", orderId).AsPages(position).SelectMany(p => p.Values.ToAsyncEnumerable()).ToListAsync();
        since.Should().ContainSingle().Which.Revision.Should().Be(4);
    }

    [Fact]
    public async Task ReadmeMetadataExample_AgainstServer_ReadsTheMetadataBackTyped()
    {
        var client = server.CreateClient();
        var orderId = Guid.NewGuid();
        var correlationId = Guid.NewGuid();
        var stream = await client.CreateStreamAsync("order", orderId, NewEvent.Create("order-placed", new OrderPlaced("ACME", 3)));

        // README metadata example begins
        // Metadata: any object that serializes to a JSON object; read it back typed.
        stream = await client.AppendAsync("order", orderId, stream.Revision,
            NewEvent.Create("order-paid", new OrderPaid(42.50m), metadata: new { CorrelationId = correlationId, CausedBy = "checkout" }));

        await foreach (var recorded in client.GetEventsAsync("order", orderId))
        {
            var context = recorded.GetMetadata<RequestContext>(); // null for an event without metadata
            Console.WriteLine($"{recorded.EventType}, correlation {context?.CorrelationId}");
        }
        // README metadata example ends

        stream.Revision.Should().Be(2);
        var events = await client.GetEventsAsync("order", orderId).ToListAsync();
        events.Select(e => e.GetMetadata<RequestContext>()).Should().Equal(null, new RequestContext(correlationId, "checkout"));
        events[1].GetPayload<OrderPaid>().Should().Be(new OrderPaid(42.50m));
    }

    [Fact]
    public async Task ReadmeExpectedRevisionExample_AgainstServer_AppendsAtTheEndAndRepeatsSafely()
    {
        var client = server.CreateClient();
        var cartId = Guid.NewGuid();

        // README expected revision example begins
        // Whatever the stream holds (created if missing): the events land after its last one.
        var itemAdded = NewEvent.Create("item-added", new { Sku = "A-1" }); // Create gives it an id
        var cart = await client.AppendAsync("cart", cartId, ExpectedRevision.Any, itemAdded);

        // Repeating it, after a timeout say, however much the stream has grown since: stored once, no exception.
        cart = await client.AppendAsync("cart", cartId, ExpectedRevision.Any, itemAdded);

        // Only to a stream that exists (StreamNotFoundException otherwise), or only to a new one (NoStream, as 0 does).
        cart = await client.AppendAsync("cart", cartId, ExpectedRevision.StreamExists,
            NewEvent.Create("checked-out", new { At = DateTimeOffset.UtcNow }));
        // README expected revision example ends

        cart.Revision.Should().Be(2);
        (await client.GetEventsAsync("cart", cartId).ToListAsync()).Select(e => e.EventType).Should().Equal("item-added", "checked-out");
    }

    [Fact]
    public async Task ReadmeRemovalExample_AgainstServer_TruncatesThenDeletes()
    {
        var client = server.CreateClient();
        var orderId = Guid.NewGuid();
        var stream = await client.CreateStreamAsync("order", orderId, NewEvent.Create("order-placed", new OrderPlaced("ACME", 3)));
        stream = await client.AppendAsync("order", orderId, stream.Revision, NewEvent.Create("order-paid", new OrderPaid(1m)));
        var snapshotRevision = stream.Revision;

        // README removal example begins
        // A snapshot holds the state up to snapshotRevision: drop the events before it (their revisions don't move).
        await client.TruncateStreamAsync("order", orderId, beforeRevision: snapshotRevision);

        // Gone for good (GDPR): the events are removed, the id is never used again; reads throw StreamDeletedException.
        await client.DeleteStreamAsync("order", orderId, DeleteMode.Hard);
        // README removal example ends

        await FluentActions.Awaiting(() => client.GetStreamAsync("order", orderId)).Should().ThrowAsync<StreamDeletedException>();
    }

    [Fact]
    public async Task ReadmeStreamTypesExample_AgainstServer_ShowsEveryStreamOfEveryType()
    {
        var client = server.CreateClient();
        var orderId = Guid.NewGuid();
        var invoiceId = Guid.NewGuid();
        await client.CreateStreamAsync("order", orderId, NewEvent.Create("order-placed", new OrderPlaced("ACME", 3)));
        await client.CreateStreamAsync("invoice", invoiceId, NewEvent.Create("invoice-issued", new OrderPaid(42.50m)));
        var shown = new List<(string, Guid, int)>();
        void Show(string streamType, Guid streamId, int revision) => shown.Add((streamType, streamId, revision));

        // README stream types example begins
        // Every stream type that has streams, then the streams of each: a look over the whole store.
        await foreach (var streamType in client.GetStreamTypesAsync())
        {
            await foreach (var stream in client.GetStreamsAsync(streamType))
            {
                Show(streamType, stream.StreamId, stream.Revision);
            }
        }
        // README stream types example ends

        shown.Should().Contain([("order", orderId, 1), ("invoice", invoiceId, 1)]);
        shown.Select(s => s.Item2).Should().OnlyHaveUniqueItems();
    }

    private sealed record OrderPlaced(string Customer, int Quantity);

    private sealed record OrderShipped(DateTimeOffset At);

    private sealed record OrderPaid(decimal Amount);

    private sealed record RequestContext(Guid CorrelationId, string CausedBy);
}
