namespace ServerlessEventStore.Server.Hosting;

/// <summary>Reports a body whose framing is broken as the client's fault (400) rather than an I/O failure (500).</summary>
internal sealed class FramingCheckedStream(Stream inner, CancellationToken requestAborted) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (IOException exception) when (IsBadFraming(exception, requestAborted))
        {
            throw BadFraming(exception);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.ReadAsync(buffer, cancellationToken);
        }
        catch (IOException exception) when (IsBadFraming(exception, requestAborted))
        {
            throw BadFraming(exception);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Whether an I/O failure while reading a request body is its framing's fault.</summary>
    /// <remarks>A client that went away is not a framing error (and gets no answer anyway).</remarks>
    public static bool IsBadFraming(IOException exception, CancellationToken requestAborted) =>
        exception is not BadHttpRequestException && !requestAborted.IsCancellationRequested;

    /// <summary>The client error a broken framing is answered with (400).</summary>
    public static BadHttpRequestException BadFraming(IOException exception) =>
        new("The request body's framing is malformed.", StatusCodes.Status400BadRequest, exception);
}
