using System.Buffers;

namespace ServerlessEventStore.Client.Generated;

/// <summary>
/// A response's whole body in a buffer from <see cref="ArrayPool{T}.Shared"/>, returned to it by
/// <see cref="Dispose"/>. The transport reads a JSON answer whole before deserializing it: the serializer then reads
/// it in one synchronous pass, where reading it off the stream as it arrives made it read each event twice (once ahead,
/// to know the event is all there, then for real), resume at each piece's end and await each piece. A page of 100 1 KB
/// events costs the client about a fifth less CPU so (README, Performance: reads at page size 100). Nothing read
/// from the body holds on to the buffer: payloads and metadata are copied out of it (<see cref="RecordedEventReader"/>).
/// </summary>
internal sealed class ResponseBody : IDisposable
{
    // Most answers are small; a page of 100 1 KB events is about 120 KB: two doublings from this size, or none when the
    // answer says its length.
    private const int InitialSize = 32 * 1024;

    private byte[]? _buffer;

    private ResponseBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer is { } buffer ? buffer.AsSpan(0, Length) : throw new ObjectDisposedException(nameof(ResponseBody));

    public static async Task<ResponseBody> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // One byte more than the announced length, so that its end is seen without growing the buffer.
        var size = content.Headers.ContentLength is { } length && length < Array.MaxLength ? (int)length + 1 : InitialSize;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        var filled = 0;
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (true)
                {
                    if (filled == buffer.Length)
                    {
                        buffer = Grow(buffer, filled);
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return new ResponseBody(buffer, filled);
                    }

                    filled += read;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer, int filled)
    {
        if (buffer.Length >= Array.MaxLength)
        {
            throw new HttpRequestException($"The response is longer than the {Array.MaxLength:N0} bytes a buffer can hold.");
        }

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
        buffer.AsSpan(0, filled).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }
}
