using System.Buffers.Binary;

namespace ServerlessEventStore.Types;

/// <summary>
/// The text of a page key of a stream listing: a position in the (updatedAt, streamId) order, as 24 bytes (UTC ticks,
/// then the id, big-endian) in URL-safe base64 without padding. Shared source of the server (which hands keys out and
/// reads them back) and the client (which makes the key after the last stream of a last page, so that a listing can
/// be resumed from its end), so that both spell keys the same way.
/// </summary>
internal static class StreamPageKeyCodec
{
    private const int ByteCount = sizeof(long) + 16;

    // 24 bytes are 32 base64 characters, never padded.
    private const int TextLength = ByteCount / 3 * 4;

    /// <summary>The key of the position after the stream updated at <paramref name="updatedAt"/> with id <paramref name="streamId"/>.</summary>
    public static string Encode(DateTimeOffset updatedAt, Guid streamId)
    {
        var bytes = new byte[ByteCount];
        BinaryPrimitives.WriteInt64BigEndian(bytes, updatedAt.UtcTicks);
        WriteBigEndian(streamId, bytes.AsSpan(sizeof(long)));
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a key made by <see cref="Encode"/>; anything else is refused.</summary>
    public static bool TryDecode(string? text, out DateTimeOffset updatedAt, out Guid streamId)
    {
        updatedAt = default;
        streamId = default;
        if (text is not { Length: TextLength } || !text.All(IsUrlSafeBase64))
        {
            return false;
        }

        var bytes = Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/'));
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        updatedAt = new DateTimeOffset(ticks, TimeSpan.Zero);
        streamId = ReadBigEndian(bytes.AsSpan(sizeof(long)));
        return true;
    }

    private static bool IsUrlSafeBase64(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    // Guid's big-endian overloads are .NET 8's too; the byte order is RFC 4122's, as the server has always written it.
    private static void WriteBigEndian(Guid id, Span<byte> destination) => id.TryWriteBytes(destination, bigEndian: true, out _);

    private static Guid ReadBigEndian(ReadOnlySpan<byte> source) => new(source, bigEndian: true);
}
