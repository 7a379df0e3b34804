namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>What a stream record means to the relay.</summary>
internal enum HeaderChangeKind
{
    /// <summary>An event item, an item removed (<c>REMOVE</c>), or anything else that is no notification.</summary>
    NotAHeader,

    /// <summary>A stream header written by an append, a delete or a truncation: one notification.</summary>
    Notification,

    /// <summary>A stream header lacking a valid id, type, revision or change (not written by this server): logged and passed over.</summary>
    Malformed,
}
