using ServerlessEventStore.Types;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

/// <summary>Deleting and truncating streams through the client, against the real server.</summary>
public sealed class RemovalTests(EventStore.Testing.EventStoreServerFixture fixture) : IClassFixture<EventStore.Testing.EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient();

    [Theory]
    [InlineData(DeleteMode.Soft)]
    [InlineData(DeleteMode.Hard)]
    public async Task DeleteStreamAsync_ThenReadsAndAppends_ThrowStreamDeleted(DeleteMode mode)
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 3);

        await _client.DeleteStreamAsync(streamType, streamId, mode, expectedRevision: 3);
        await _client.DeleteStreamAsync(streamType, streamId, mode);

        (await FluentActions.Awaiting(() => _client.GetStreamAsync(streamType, streamId)).Should().ThrowAsync<StreamDeletedException>())
            .Which.Status.Should().Be(410);
        await FluentActions.Awaiting(() => _client.ReadLastEventAsync(streamType, streamId)).Should().ThrowAsync<StreamDeletedException>();
        await FluentActions.Awaiting(() => _client.AppendAsync(streamType, streamId, ExpectedRevision.Any, CountedEvent(4))).Should().ThrowAsync<StreamNotFoundException>("a deleted stream is also a missing one to a catch of that");
    }

    [Fact]
    public async Task DeleteStreamAsync_AtAnotherRevision_ThrowsWrongExpectedRevision()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 2);

        var thrown = await FluentActions.Awaiting(() => _client.DeleteStreamAsync(streamType, streamId, expectedRevision: 1)).Should().ThrowAsync<WrongExpectedRevisionException>();

        thrown.Which.ActualRevision.Should().Be(2);
        (await _client.GetStreamAsync(streamType, streamId)).Revision.Should().Be(2);
    }

    [Fact]
    public async Task DeleteStreamAsync_Unknown_ThrowsStreamNotFoundNotDeleted()
    {
        var thrown = await FluentActions.Awaiting(() => _client.DeleteStreamAsync(NewStreamType(), Guid.NewGuid())).Should().ThrowAsync<StreamNotFoundException>();

        thrown.Which.Should().NotBeOfType<StreamDeletedException>();
    }

    [Fact]
    public void DeleteStreamAsync_NoStream_ThrowsBeforeAnyRequest() =>
        FluentActions.Awaiting(() => _client.DeleteStreamAsync(NewStreamType(), Guid.NewGuid(), expectedRevision: ExpectedRevision.NoStream))
            .Should().ThrowAsync<ArgumentException>().WithParameterName("expectedRevision");

    [Fact]
    public async Task TruncateStreamAsync_ReadsStartThereAndRevisionsStay()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 5);

        await _client.TruncateStreamAsync(streamType, streamId, beforeRevision: 4);

        (await _client.GetEventsAsync(streamType, streamId).ToListAsync()).Select(e => e.Revision).Should().Equal(4, 5);
        (await _client.GetStreamAsync(streamType, streamId)).Revision.Should().Be(5);
    }

    [Fact]
    public async Task TruncateStreamAsync_PastTheEnd_ThrowsConflict()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 2);

        (await FluentActions.Awaiting(() => _client.TruncateStreamAsync(streamType, streamId, beforeRevision: 9)).Should().ThrowAsync<EventStoreException>())
            .Which.Status.Should().Be(409);
    }
}
