using System.Text.Json;
using EventStore.Testing;
using ServerlessEventStore.Types;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

public sealed class AppendTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient();

    [Fact]
    public async Task CreateStreamAsync_WithStreamId_CreatesStreamAtRevisionOne()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();

        var created = await _client.CreateStreamAsync(streamType, streamId, CountedEvent(1));

        created.StreamId.Should().Be(streamId);
        created.StreamType.Should().Be(streamType);
        created.Revision.Should().Be(1);
        var read = await _client.GetStreamAsync(streamType, streamId);
        read.Revision.Should().Be(1);
        read.StreamId.Should().Be(streamId);
    }

    [Fact]
    public async Task CreateStreamAsync_WithoutStreamId_ChoosesNewId()
    {
        var streamType = NewStreamType();

        var first = await _client.CreateStreamAsync(streamType, CountedEvent(1));
        var second = await _client.CreateStreamAsync(streamType, CountedEvent(1));

        first.StreamId.Should().NotBe(Guid.Empty).And.NotBe(second.StreamId);
        (await _client.GetStreamAsync(streamType, first.StreamId)).Revision.Should().Be(1);
    }

    [Fact]
    public async Task CreateStreamAsync_RepeatedWithSameEvent_SucceedsAndStoresOnce()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();
        var initial = CountedEvent(1);

        await _client.CreateStreamAsync(streamType, streamId, initial);
        var repeated = await _client.CreateStreamAsync(streamType, streamId, initial);

        repeated.Revision.Should().Be(1);
        var events = await _client.GetEventsAsync(streamType, streamId).ToListAsync();
        events.Should().ContainSingle().Which.EventId.Should().Be(initial.EventId);
    }

    [Fact]
    public async Task AppendAsync_OneEvent_AppendsAtNextRevision()
    {
        var streamType = NewStreamType();
        var created = await _client.CreateStreamAsync(streamType, CountedEvent(1));

        var appended = await _client.AppendAsync(streamType, created.StreamId, 1, CountedEvent(2));

        appended.Revision.Should().Be(2);
        appended.UpdatedAt.Should().BeOnOrAfter(created.UpdatedAt);
        var events = await _client.GetEventsAsync(streamType, created.StreamId).ToListAsync();
        events.Select(e => e.Revision).Should().Equal(1, 2);
        events[1].GetPayload<Counted>().Should().Be(new Counted(2));
    }

    [Fact]
    public async Task AppendAsync_ExpectedRevisionZero_CreatesStream()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();

        var stream = await _client.AppendAsync(streamType, streamId, 0, [CountedEvent(1), CountedEvent(2)]);

        stream.Revision.Should().Be(2);
        stream.StreamId.Should().Be(streamId);
    }

    [Fact]
    public async Task AppendAsync_ManyEvents_StoresThemInOrderWithPayloadMetadataAndIds()
    {
        var streamType = NewStreamType();
        var created = await _client.CreateStreamAsync(streamType, CountedEvent(1));
        var correlationId = Guid.NewGuid();
        var metadata = new Dictionary<string, JsonElement>
        {
            ["correlationId"] = JsonSerializer.SerializeToElement(correlationId),
            ["attempt"] = JsonSerializer.SerializeToElement(3),
        };
        var batch = Enumerable.Range(2, 10)
            .Select(n => NewEvent.Create("counted", new Counted(n), metadata: n == 5 ? metadata : null))
            .ToList();

        var appended = await _client.AppendAsync(streamType, created.StreamId, 1, batch);

        appended.Revision.Should().Be(11);
        var events = await _client.GetEventsAsync(streamType, created.StreamId, afterRevision: 1).ToListAsync();
        events.Select(e => e.Revision).Should().Equal(Enumerable.Range(2, 10));
        events.Select(e => e.GetPayload<Counted>()!.Number).Should().Equal(Enumerable.Range(2, 10));
        events.Select(e => e.EventId).Should().Equal(batch.Select(e => e.EventId));
        events.Should().OnlyContain(e => e.EventType == "counted" && e.StreamId == created.StreamId);
        var withMetadata = events.Single(e => e.Revision == 5);
        withMetadata.Metadata.Should().NotBeNull();
        withMetadata.Metadata!["correlationId"].GetGuid().Should().Be(correlationId);
        withMetadata.Metadata["attempt"].GetInt32().Should().Be(3);
        events.Where(e => e.Revision != 5).Should().OnlyContain(e => e.Metadata == null || e.Metadata.Count == 0);
    }

    [Fact]
    public async Task AppendAsync_ObjectAsMetadata_ReadsBackTypedAndAsJson()
    {
        var streamType = NewStreamType();
        var context = new RequestContext(Guid.NewGuid(), "checkout", 2);

        var created = await _client.CreateStreamAsync(streamType, NewEvent.Create("counted", new Counted(1), metadata: context));

        var recorded = await _client.GetEventsAsync(streamType, created.StreamId).SingleAsync();
        recorded.GetMetadata<RequestContext>().Should().Be(context);
        recorded.Metadata!.Keys.Should().BeEquivalentTo("correlationId", "causedBy", "attempt");
        recorded.Metadata["correlationId"].GetGuid().Should().Be(context.CorrelationId);
    }

    [Fact]
    public async Task AppendAsync_SameEventsRetried_SucceedsAndStoresNothingTwice()
    {
        var streamType = NewStreamType();
        var created = await _client.CreateStreamAsync(streamType, CountedEvent(1));
        var batch = new[] { CountedEvent(2), CountedEvent(3), CountedEvent(4) };

        var first = await _client.AppendAsync(streamType, created.StreamId, 1, batch);
        var retried = await _client.AppendAsync(streamType, created.StreamId, 1, batch);

        first.Revision.Should().Be(4);
        retried.Revision.Should().Be(4);
        var events = await _client.GetEventsAsync(streamType, created.StreamId).ToListAsync();
        events.Should().HaveCount(4);
        events.Skip(1).Select(e => e.EventId).Should().Equal(batch.Select(e => e.EventId));
    }

    [Fact]
    public async Task AppendAsync_EventWithoutId_GetsIdAssigned()
    {
        var streamType = NewStreamType();
        var withoutId = new NewEvent(null, "counted", null, JsonSerializer.SerializeToElement(new Counted(1)));

        var created = await _client.CreateStreamAsync(streamType, withoutId);

        var stored = await _client.GetEventsAsync(streamType, created.StreamId).SingleAsync();
        stored.EventId.Should().NotBeNull().And.NotBe(Guid.Empty);
        stored.GetPayload<Counted>().Should().Be(new Counted(1));
    }

    [Fact]
    public async Task AppendAsync_StringPayload_RoundTripsAsString()
    {
        var streamType = NewStreamType();

        var created = await _client.CreateStreamAsync(streamType, NewEvent.Create("noted", "plain text"));

        var stored = await _client.GetEventsAsync(streamType, created.StreamId).SingleAsync();
        stored.GetPayload<string>().Should().Be("plain text");
        stored.Payload.ValueKind.Should().Be(JsonValueKind.String);
    }

    [Fact]
    public async Task AppendAsync_InvalidArguments_ThrowArgumentExceptionWithoutRequest()
    {
        var streamType = NewStreamType();
        var streamId = Guid.NewGuid();

        await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, 0, Array.Empty<NewEvent>()))
            .Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, 0, Enumerable.Range(1, 100).Select(CountedEvent)))
            .Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, 0, [CountedEvent(1), null!]))
            .Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, -1, CountedEvent(1)))
            .Should().ThrowAsync<ArgumentOutOfRangeException>();
        await FluentActions.Awaiting(() => _client.AppendAsync("", streamId, 0, CountedEvent(1)))
            .Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, 0, (NewEvent)null!))
            .Should().ThrowAsync<ArgumentNullException>();

        await FluentActions.Awaiting(() => _client.GetStreamAsync(streamType, streamId))
            .Should().ThrowAsync<StreamNotFoundException>("no invalid append reached the server");
    }

    [Fact]
    public async Task AppendAsync_NinetyNineEvents_AppendsAll()
    {
        var streamType = NewStreamType();

        var stream = await _client.AppendAsync(streamType, Guid.NewGuid(), 0, Enumerable.Range(1, 99).Select(CountedEvent));

        stream.Revision.Should().Be(99);
    }

    [Fact]
    public async Task AppendAsync_CanceledToken_ThrowsOperationCanceled()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await FluentActions.Awaiting(() => _client.CreateStreamAsync(NewStreamType(), CountedEvent(1), canceled.Token))
            .Should().ThrowAsync<OperationCanceledException>();
    }

    private sealed record RequestContext(Guid CorrelationId, string CausedBy, int Attempt);
}
