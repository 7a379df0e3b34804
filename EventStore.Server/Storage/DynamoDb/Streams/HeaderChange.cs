using System.Globalization;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>
/// Which stream records are notifications, as the AWS EventBridge Pipe decides (filter <c>RecordType = stream</c>, input
/// template <c>{StreamId: PK, StreamType, StreamRevision}</c>): a stream header written (<c>INSERT</c> at creation,
/// <c>MODIFY</c> on every further append), one per committed append. Event items and deletions are no notifications.
/// </summary>
internal static class HeaderChange
{
    public static HeaderChangeKind Classify(ChangeRecord record, out StreamNotification? notification)
    {
        notification = null;
        if (record.EventName is not ("INSERT" or "MODIFY")
            || record.NewImage is not { } image
            || !image.TryGetValue(TableLayout.RecordType, out var recordType)
            || recordType.S != TableLayout.StreamRecord)
        {
            return HeaderChangeKind.NotAHeader;
        }

        if (image.TryGetValue(TableLayout.PartitionKey, out var key) && Guid.TryParse(key.S, CultureInfo.InvariantCulture, out var streamId)
            && image.TryGetValue(TableLayout.StreamType, out var type) && !string.IsNullOrWhiteSpace(type.S)
            && image.TryGetValue(TableLayout.StreamRevision, out var revision)
            && int.TryParse(revision.N, NumberStyles.None, CultureInfo.InvariantCulture, out var streamRevision) && streamRevision >= 1)
        {
            notification = new StreamNotification(streamId, type.S, streamRevision);
            return HeaderChangeKind.Notification;
        }

        return HeaderChangeKind.Malformed;
    }
}
