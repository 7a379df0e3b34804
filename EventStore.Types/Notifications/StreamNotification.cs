using System.Text.Json.Serialization;

namespace ServerlessEventStore.Types;

/// <summary>
/// "Stream <see cref="StreamId"/> of type <see cref="StreamType"/> reached revision <see cref="StreamRevision"/>": the
/// message the event store publishes after every append — and, telling them apart by <see cref="Change"/>, after a stream
/// was deleted or truncated. Delivery is at least once and unordered, so a consumer reads the stream's events after its
/// own checkpoint rather than trusting the revision to be the next one.
/// </summary>
/// <remarks>
/// Its JSON is the original's for an append: <c>{"StreamId":"…","StreamType":"…","StreamRevision":"18"}</c>, the revision
/// written as a string and read as a string or a number. A deletion adds <c>"Change":"deleted"</c>; a truncation adds
/// <c>"Change":"truncated","TruncatedBefore":"5"</c>, written as a string and read as a string or a number, like the
/// revision. A notification without <c>Change</c> (every one the original sends) is an append; a <c>Change</c> this version
/// does not know is kept by name (<see cref="StreamChange.Name"/>), and <c>TruncatedBefore</c> is read only for a
/// truncation. Unknown members are ignored. Malformed JSON fails with a <see cref="NotificationFormatException"/>.
/// <see cref="StreamNotificationConverter"/> reads it from SQS messages, SNS envelopes and Lambda SQS events.
/// </remarks>
[JsonConverter(typeof(StreamNotificationJsonConverter))]
public sealed record StreamNotification
{
    /// <summary>Creates the notification of an append: the stream reached <paramref name="streamRevision"/>.</summary>
    /// <param name="streamId">The id of the stream.</param>
    /// <param name="streamType">The type of the stream; not empty.</param>
    /// <param name="streamRevision">The revision the stream reached; 1 or more.</param>
    /// <exception cref="ArgumentException"><paramref name="streamType"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="streamRevision"/> is less than 1.</exception>
    public StreamNotification(Guid streamId, string streamType, int streamRevision)
        : this(streamId, streamType, streamRevision, StreamChange.Appended)
    {
    }

    /// <summary>Creates a notification of <paramref name="change"/>.</summary>
    /// <param name="streamId">The id of the stream.</param>
    /// <param name="streamType">The type of the stream; not empty.</param>
    /// <param name="streamRevision">The stream's revision: the one it reached, or had when it was deleted; 1 or more.</param>
    /// <param name="change">What happened to the stream.</param>
    /// <param name="truncatedBefore">
    /// For <see cref="StreamChange.Truncated"/>, and only then: the first revision the stream still holds; 1 or more.
    /// </param>
    /// <exception cref="ArgumentException">
    /// <paramref name="streamType"/> is empty or white space, or <paramref name="truncatedBefore"/> is given for another
    /// change than <see cref="StreamChange.Truncated"/>, or missing for it.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="streamRevision"/> or <paramref name="truncatedBefore"/> is less than 1.</exception>
    public StreamNotification(Guid streamId, string streamType, int streamRevision, StreamChange change, int? truncatedBefore = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamType);
        ArgumentOutOfRangeException.ThrowIfLessThan(streamRevision, 1);
        if (change == StreamChange.Truncated)
        {
            if (truncatedBefore is not { } first)
            {
                throw new ArgumentException("A truncation names the first revision the stream still holds.", nameof(truncatedBefore));
            }

            ArgumentOutOfRangeException.ThrowIfLessThan(first, 1, nameof(truncatedBefore));
        }
        else if (truncatedBefore is not null)
        {
            throw new ArgumentException($"Only a truncation names a revision it truncated before, not a change '{change}'.", nameof(truncatedBefore));
        }

        StreamId = streamId;
        StreamType = streamType;
        StreamRevision = streamRevision;
        Change = change;
        TruncatedBefore = truncatedBefore;
    }

    /// <summary>The id of the stream that changed.</summary>
    public Guid StreamId { get; }

    /// <summary>The type of the stream that changed, e.g. <c>order</c>.</summary>
    public string StreamType { get; }

    /// <summary>
    /// The stream's revision, the number of events appended to it: the one an append reached, the one it had when it was
    /// deleted, or its unchanged revision after a truncation.
    /// </summary>
    public int StreamRevision { get; }

    /// <summary>
    /// What happened to the stream: <see cref="StreamChange.Appended"/> (the default, and every notification of the
    /// original), <see cref="StreamChange.Deleted"/>, <see cref="StreamChange.Truncated"/>, or a change of a newer server.
    /// </summary>
    public StreamChange Change { get; }

    /// <summary>
    /// For <see cref="StreamChange.Truncated"/>: the first revision the stream still holds, its events before it removed;
    /// <see langword="null"/> for every other change.
    /// </summary>
    public int? TruncatedBefore { get; }
}
