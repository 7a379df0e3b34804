using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace ServerlessEventStore.Server.Storage;

/// <summary>
/// A position in a store's order of the events of a stream type: a read of the type returns the events after it. Both
/// stores order by (<see cref="Position"/>, <see cref="StreamId"/>, <see cref="Revision"/>): the embedded store's
/// position is the event's commit-order number (unique on its own), DynamoDB's the UTC ticks of the event's time. Its
/// text (<see cref="Encode"/>) is what callers save: 28 bytes in URL-safe base64 without padding, one spelling, so that a
/// checkpoint the server did not hand out is refused.
/// </summary>
/// <param name="Position">The store's position: commit number (SQLite) or event time in UTC ticks (DynamoDB).</param>
/// <param name="StreamId">Stream of the event at this position, or <see cref="End"/>'s for "every event up to the position".</param>
/// <param name="Revision">Revision of the event at this position, or <see cref="int.MaxValue"/> for "every event up to the position".</param>
public sealed record EventCheckpoint(long Position, Guid StreamId, int Revision)
{
    private const int ByteCount = sizeof(long) + 16 + sizeof(int);

    // 28 bytes are 38 base64 characters without the padding.
    private const int TextLength = 38;

    /// <summary>Before every event: the start of a stream type's history.</summary>
    public static EventCheckpoint Start { get; } = new(0, Guid.Empty, 0);

    /// <summary>After every event at or before <paramref name="position"/>, whatever its stream and revision.</summary>
    /// <param name="position">The position.</param>
    /// <returns>The checkpoint.</returns>
    public static EventCheckpoint End(long position) => new(position, Guid.AllBitsSet, int.MaxValue);

    /// <summary>Encodes the checkpoint as an opaque, URL-safe string.</summary>
    /// <returns>The checkpoint as callers see it.</returns>
    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[ByteCount];
        BinaryPrimitives.WriteInt64BigEndian(bytes, Position);
        StreamId.TryWriteBytes(bytes[sizeof(long)..], bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(bytes[(sizeof(long) + 16)..], Revision);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Decodes a checkpoint made by <see cref="Encode"/>; anything else is refused.</summary>
    /// <param name="text">The checkpoint as the caller sent it.</param>
    /// <param name="checkpoint">The decoded checkpoint.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a checkpoint this server hands out.</returns>
    public static bool TryDecode(string? text, [NotNullWhen(true)] out EventCheckpoint? checkpoint)
    {
        checkpoint = null;
        if (text is not { Length: TextLength } || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        var bytes = Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/') + "==");
        var decoded = new EventCheckpoint(
            BinaryPrimitives.ReadInt64BigEndian(bytes),
            new Guid(bytes.AsSpan(sizeof(long), 16), bigEndian: true),
            BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(sizeof(long) + 16)));

        // One spelling: the last character's unused bits must be zero (the encoding of what was decoded), and the values
        // must be ones a store hands out.
        if (decoded.Position < 0 || decoded.Revision < 0 || decoded.Encode() != text)
        {
            return false;
        }

        checkpoint = decoded;
        return true;
    }
}
