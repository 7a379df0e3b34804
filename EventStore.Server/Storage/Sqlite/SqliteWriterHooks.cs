using Microsoft.Data.Sqlite;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// Where the embedded store's writer lets others in: the storage module has each commit's number of writes recorded in
/// telemetry; tests hold the writer before a batch, to make up a batch of their choosing, and reach its connection, to
/// make SQLite fail on demand. Each hook runs on the writer, so the writer waits for it.
/// </summary>
internal sealed class SqliteWriterHooks
{
    /// <summary>
    /// Awaited before each batch, once a write is queued and before the writer takes it: the writes queued while it
    /// waits join the batch (up to its bounds), in the order they were queued.
    /// </summary>
    public Func<Task>? BeforeBatch { get; init; }

    /// <summary>Called with the writer's connection once the batch's transaction has begun, before its first write.</summary>
    public Action<SqliteConnection>? BatchBegun { get; init; }

    /// <summary>Called when a batch has committed, with the number of writes that ran in it (whatever their outcomes).</summary>
    public Action<int>? Committed { get; init; }
}
