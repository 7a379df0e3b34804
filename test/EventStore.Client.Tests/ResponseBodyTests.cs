using System.Net;
using ServerlessEventStore.Client.Generated;

namespace ServerlessEventStore.Client.Tests;

/// <summary>
/// The transport reads each JSON answer whole into a pooled buffer before deserializing it: every byte, however the
/// body arrives (with or without a length, in pieces of any size), and no further than the caller waits.
/// </summary>
public sealed class ResponseBodyTests
{
    [Fact]
    public async Task ReadAsync_BodyWithItsLength_ReadsItExactly()
    {
        var bytes = RandomBytes(100_000);

        using var body = await ResponseBody.ReadAsync(new ByteArrayContent(bytes), CancellationToken.None);

        body.Span.ToArray().Should().Equal(bytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(32 * 1024)]
    [InlineData(300_000)]
    public async Task ReadAsync_BodyWithoutLengthInSmallPieces_ReadsItWhole(int length)
    {
        var bytes = RandomBytes(length);
        var content = new StreamContent(new PiecesStream(bytes, pieceSize: 1000));
        content.Headers.ContentLength.Should().BeNull("the body's length is not known before it is read");

        using var body = await ResponseBody.ReadAsync(content, CancellationToken.None);

        body.Length.Should().Be(length);
        body.Span.ToArray().Should().Equal(bytes);
    }

    [Fact]
    public async Task ReadAsync_BodyLongerThanItsAnnouncedLength_ReadsItWhole()
    {
        var bytes = RandomBytes(50_000);
        var content = new StreamContent(new PiecesStream(bytes, pieceSize: 4096));
        content.Headers.ContentLength = 10;

        using var body = await ResponseBody.ReadAsync(content, CancellationToken.None);

        body.Span.ToArray().Should().Equal(bytes);
    }

    [Fact]
    public async Task ReadAsync_CanceledWhileTheBodyArrives_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        var stream = new PiecesStream(RandomBytes(10_000), pieceSize: 1000, stallAfter: 3);
        var reading = ResponseBody.ReadAsync(new StreamContent(stream), cancellation.Token);
        await stream.Stalled;

        await cancellation.CancelAsync();

        await FluentActions.Awaiting(() => reading).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Dispose_ReturnsTheBuffer_SpanThenThrowsAndASecondDisposeDoesNothing()
    {
        var body = await ResponseBody.ReadAsync(new ByteArrayContent([1, 2, 3]), CancellationToken.None);

        body.Dispose();
        body.Dispose();

        FluentActions.Invoking(() => body.Span.Length).Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public async Task GetStreamAsync_ErrorWithRequestIdOnlyInAHeader_ThrowsWithThatRequestId()
    {
        var client = new EventStoreClient(
            new HttpClient(new HeaderAnsweringHandler()),
            new EventStoreClientOptions { BaseAddress = new Uri("http://event-store.invalid/") });

        var thrown = await FluentActions.Awaiting(() => client.GetStreamAsync(TestSupport.NewStreamType(), Guid.NewGuid()))
            .Should().ThrowExactlyAsync<EventStoreException>();

        thrown.Which.Status.Should().Be(502);
        thrown.Which.RequestId.Should().Be("gateway-7");
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A gateway's answer: not a problem, its request id only in a (lower-case) header.</summary>
    private sealed class HeaderAnsweringHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.BadGateway) { Content = new StringContent("<html>Bad gateway</html>", null, "text/html") };
            response.Headers.TryAddWithoutValidation("x-request-id", "gateway-7");
            return Task.FromResult(response);
        }
    }

    /// <summary>A body of unknown length that arrives in pieces, and can stop arriving until the read is canceled.</summary>
    private sealed class PiecesStream(byte[] bytes, int pieceSize, int stallAfter = int.MaxValue) : Stream
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;
        private int _pieces;

        public Task Stalled => _stalled.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (++_pieces > stallAfter)
            {
                _stalled.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            var count = Math.Min(Math.Min(pieceSize, buffer.Length), bytes.Length - _position);
            bytes.AsMemory(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
