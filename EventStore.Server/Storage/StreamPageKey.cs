using System.Diagnostics.CodeAnalysis;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// Position in the (updatedAt, streamId) order of a stream listing: the last stream of a page. Its text is
/// <see cref="StreamPageKeyCodec"/>'s, the one spelling of page keys, so every adapter (and the client, at the end of a
/// listing) hands out and accepts the same opaque keys.
/// </summary>
/// <param name="UpdatedAt">When the last stream of the page was updated.</param>
/// <param name="StreamId">Id of the last stream of the page.</param>
public sealed record StreamPageKey(DateTimeOffset UpdatedAt, Guid StreamId)
{
    /// <summary>Encodes the key as an opaque, URL-safe string.</summary>
    /// <returns>The key as callers see it.</returns>
    public string Encode() => StreamPageKeyCodec.Encode(UpdatedAt, StreamId);

    /// <summary>Decodes a key made by <see cref="Encode"/>; anything else is rejected.</summary>
    /// <param name="text">The key as the caller sent it.</param>
    /// <param name="key">The decoded key.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a valid key.</returns>
    public static bool TryDecode(string? text, [NotNullWhen(true)] out StreamPageKey? key)
    {
        key = StreamPageKeyCodec.TryDecode(text, out var updatedAt, out var streamId) ? new StreamPageKey(updatedAt, streamId) : null;
        return key is not null;
    }
}
