using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EventStore.Types;

namespace EventStore.Server.Notifications;

/// <summary>
/// The message body every notification carries, as the original's notification pipe wrote it:
/// <c>{"StreamId":"…","StreamType":"…","StreamRevision":"18"}</c> — these members in this order, the revision as a
/// string. Written by hand so that the wire format does not depend on a serializer's settings.
/// </summary>
internal static class NotificationMessage
{
    public static string Format(StreamNotification notification)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("StreamId", notification.StreamId);
            writer.WriteString("StreamType", notification.StreamType);
            writer.WriteString("StreamRevision", notification.StreamRevision.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
