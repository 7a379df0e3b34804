using EventStore.Testing;
using static ServerlessEventStore.Client.Tests.TestSupport;

namespace ServerlessEventStore.Client.Tests;

public sealed class CancellationTests(EventStoreServerFixture fixture) : IClassFixture<EventStoreServerFixture>
{
    private readonly EventStoreClient _client = fixture.CreateClient(pageSize: 2);

    [Theory]
    [InlineData(2)] // at a page boundary: the next request is not sent
    [InlineData(3)] // inside a page already received
    public async Task GetEventsAsync_CreationTokenCanceledMidIteration_ThrowsOperationCanceled(int readBeforeCancel)
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);
        using var cancellation = new CancellationTokenSource();
        var events = _client.GetEventsAsync(streamType, streamId, cancellationToken: cancellation.Token);
        var read = 0;

        var act = async () =>
        {
            await foreach (var _ in events)
            {
                if (++read == readBeforeCancel)
                {
                    await cancellation.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        read.Should().Be(readBeforeCancel);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task GetEventsAsync_WithCancellationTokenCanceledMidIteration_ThrowsOperationCanceled(int readBeforeCancel)
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 7);
        using var cancellation = new CancellationTokenSource();
        var read = 0;

        var act = async () =>
        {
            await foreach (var _ in _client.GetEventsAsync(streamType, streamId).WithCancellation(cancellation.Token))
            {
                if (++read == readBeforeCancel)
                {
                    await cancellation.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        read.Should().Be(readBeforeCancel);
    }

    [Fact]
    public async Task GetStreamsAsync_WithCancellationTokenCanceledMidIteration_ThrowsOperationCanceled()
    {
        var streamType = NewStreamType();
        for (var i = 0; i < 5; i++)
        {
            await _client.CreateStreamAsync(streamType, CountedEvent(i));
        }

        using var cancellation = new CancellationTokenSource();
        var read = 0;

        var act = async () =>
        {
            await foreach (var _ in _client.GetStreamsAsync(streamType).WithCancellation(cancellation.Token))
            {
                if (++read == 3)
                {
                    await cancellation.CancelAsync();
                }
            }
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
        read.Should().Be(3);
    }

    [Fact]
    public async Task GetEventsAsync_CanceledCreationToken_CancelsEveryEnumeration()
    {
        var streamType = NewStreamType();
        var streamId = await _client.CreateStreamWithEventsAsync(streamType, 3);
        using var cancellation = new CancellationTokenSource();
        var events = _client.GetEventsAsync(streamType, streamId, cancellationToken: cancellation.Token);
        (await events.CountAsync()).Should().Be(3);

        await cancellation.CancelAsync();

        await FluentActions.Awaiting(() => events.ToListAsync().AsTask()).Should().ThrowAsync<OperationCanceledException>();
        await FluentActions.Awaiting(() => events.AsPages().ToListAsync().AsTask()).Should().ThrowAsync<OperationCanceledException>();
    }
}
