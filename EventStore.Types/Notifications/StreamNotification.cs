using System.Text.Json.Serialization;

namespace ServerlessEventStore.Types;

/// <summary>
/// "Stream <see cref="StreamId"/> of type <see cref="StreamType"/> reached revision <see cref="StreamRevision"/>": the
/// message the event store publishes after every append. Delivery is at least once and unordered, so a consumer reads the
/// stream's events after its own checkpoint rather than trusting the revision to be the next one.
/// </summary>
/// <remarks>
/// Its JSON is the original's: <c>{"StreamId":"…","StreamType":"…","StreamRevision":"18"}</c>, the revision written as a
/// string and read as a string or a number; unknown members are ignored. Malformed JSON fails with a
/// <see cref="NotificationFormatException"/>. <see cref="StreamNotificationConverter"/> reads it from SQS messages, SNS
/// envelopes and Lambda SQS events.
/// </remarks>
[JsonConverter(typeof(StreamNotificationJsonConverter))]
public sealed record StreamNotification
{
    /// <summary>Creates a notification.</summary>
    /// <param name="streamId">The id of the stream.</param>
    /// <param name="streamType">The type of the stream; not empty.</param>
    /// <param name="streamRevision">The revision the stream reached; 1 or more.</param>
    /// <exception cref="ArgumentException"><paramref name="streamType"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="streamRevision"/> is less than 1.</exception>
    public StreamNotification(Guid streamId, string streamType, int streamRevision)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamType);
        ArgumentOutOfRangeException.ThrowIfLessThan(streamRevision, 1);
        StreamId = streamId;
        StreamType = streamType;
        StreamRevision = streamRevision;
    }

    /// <summary>The id of the stream that changed.</summary>
    public Guid StreamId { get; }

    /// <summary>The type of the stream that changed, e.g. <c>order</c>.</summary>
    public string StreamType { get; }

    /// <summary>The revision the stream reached: the number of events it holds.</summary>
    public int StreamRevision { get; }
}
