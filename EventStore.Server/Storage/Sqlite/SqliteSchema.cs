namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>The embedded store's schema, created at start-up when missing.</summary>
internal static class SqliteSchema
{
    // Timestamps are UTC ticks (100 ns): sub-millisecond, and their order is the order of time.
    // The outbox row written with every append is the change feed a notification relay reads.
    public const string Create = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS streams (
            stream_id TEXT NOT NULL PRIMARY KEY,
            stream_type TEXT NOT NULL,
            revision INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS streams_by_type_and_update ON streams (stream_type, updated_at, stream_id);
        CREATE TABLE IF NOT EXISTS events (
            stream_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            event_id TEXT NULL,
            event_type TEXT NOT NULL,
            payload TEXT NOT NULL,
            metadata TEXT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (stream_id, revision)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outbox (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            stream_id TEXT NOT NULL,
            stream_type TEXT NOT NULL,
            stream_revision INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        """;
}
