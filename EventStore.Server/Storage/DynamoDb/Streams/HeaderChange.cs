using System.Globalization;
using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>
/// Which stream records are notifications, as the AWS EventBridge Pipes decide: a stream header written (<c>INSERT</c> at
/// creation, <c>MODIFY</c> on every further append, delete and truncation). A header without <c>LastChange</c> was written
/// by an append (every append removes the attribute): the original's notification, as the append pipe's filter and
/// template make it. A header with <c>LastChange</c> was written by a delete or a truncation: a notification of that
/// change (with <c>TruncatedBefore</c> for a truncation), as the change pipe makes it. Event items, records of appends and
/// deletions of items are no notifications.
/// </summary>
internal static class HeaderChange
{
    // Attributes the store sets on the header when it deletes or truncates a stream, and every append removes.

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
            && TryGetRevision(image, TableLayout.StreamRevision, out var streamRevision)
            && TryGetChange(image, out var change, out var truncatedBefore))
        {
            notification = new StreamNotification(streamId, type.S, streamRevision, change, truncatedBefore);
            return HeaderChangeKind.Notification;
        }

        return HeaderChangeKind.Malformed;
    }

    /// <summary>
    /// The change the header reports: none (an append) without <c>LastChange</c>; a truncation needs the first revision it
    /// kept. A change this version does not know is passed on by name, as the change pipe passes it on.
    /// </summary>
    private static bool TryGetChange(IReadOnlyDictionary<string, AttributeValue> image, out StreamChange change, out int? truncatedBefore)
    {
        change = StreamChange.Appended;
        truncatedBefore = null;
        if (!image.TryGetValue(TableLayout.LastChange, out var lastChange))
        {
            return true;
        }

        if (string.IsNullOrWhiteSpace(lastChange.S))
        {
            return false;
        }

        change = new StreamChange(lastChange.S);
        if (change != StreamChange.Truncated)
        {
            return true;
        }

        if (!TryGetRevision(image, TableLayout.TruncatedBefore, out var first))
        {
            return false;
        }

        truncatedBefore = first;
        return true;
    }

    private static bool TryGetRevision(IReadOnlyDictionary<string, AttributeValue> image, string attribute, out int revision)
    {
        revision = 0;
        return image.TryGetValue(attribute, out var value)
            && int.TryParse(value.N, NumberStyles.None, CultureInfo.InvariantCulture, out revision) && revision >= 1;
    }
}
