using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>A notification waiting in a store's outbox to be published.</summary>
/// <param name="Sequence">Its position in the outbox: commit order, and the key to remove it by once published.</param>
/// <param name="Notification">The notification.</param>
public sealed record OutboxEntry(long Sequence, StreamNotification Notification);
