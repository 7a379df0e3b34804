using System.Buffers.Binary;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// Position in the (updatedAt, streamId) order of a stream listing: the last stream of a page. The one codec of page keys,
/// so every adapter hands out and accepts the same opaque keys.
/// </summary>
/// <param name="UpdatedAt">When the last stream of the page was updated.</param>
/// <param name="StreamId">Id of the last stream of the page.</param>
public sealed record StreamPageKey(DateTimeOffset UpdatedAt, Guid StreamId)
{
    private const int EncodedByteCount = sizeof(long) + 16;

    /// <summary>Encodes the key as an opaque, URL-safe string.</summary>
    /// <returns>The key as callers see it.</returns>
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[EncodedByteCount];
        BinaryPrimitives.WriteInt64BigEndian(bytes, UpdatedAt.UtcTicks);
        StreamId.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Decodes a key made by <see cref="Encode"/>; anything else is rejected.</summary>
    /// <param name="text">The key as the caller sent it.</param>
    /// <param name="key">The decoded key.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid key.</returns>
    public static bool TryDecode(string? text, [NotNullWhen(true)] out StreamPageKey? key)
    {
        key = null;
        if (string.IsNullOrEmpty(text) || Base64Url.GetMaxDecodedLength(text.Length) < EncodedByteCount)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != text.Length
            || written != EncodedByteCount)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        key = new StreamPageKey(new DateTimeOffset(ticks, TimeSpan.Zero), new Guid(bytes[sizeof(long)..written], bigEndian: true));
        return true;
    }
}
