using Microsoft.Data.Sqlite;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// The embedded store's schema, created at start-up when missing and brought up to date in place when a file of an
/// earlier version is opened. Its version is SQLite's <c>user_version</c>: 0 is the first layout (events in a
/// <c>WITHOUT ROWID</c> table keyed by stream and revision), 1 events in a rowid table, 2 (<see cref="Version"/>) streams
/// that can be deleted and truncated, and the table of stream types. Each step runs once, in order, in the one transaction.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The version this build writes.</summary>
    public const int Version = 2;

    // Timestamps are UTC ticks (100 ns): sub-millisecond, and their order is the order of time.
    // Events are rows of a rowid table: a 1 KB event fits its b-tree page instead of spilling into an overflow page,
    // and `position` (AUTOINCREMENT: never reused, also after rows are deleted) is the order in which appends committed,
    // across streams — what a read of a whole stream type follows. (stream_id, revision) is unique: the backstop of the
    // append decision, and the index of a stream's reads.
    // `appends` records each append at the end of a stream (any, stream-exists) under its first event's id: where it
    // landed, by which a repeat of it is recognised.
    // `stream_types` holds each type that has a stream, written with its first stream (INSERT OR IGNORE): a listing of
    // the types reads it in name order, where the streams' index would be walked over every stream of every type.
    // The outbox row written with every append is the change feed a notification relay reads.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS streams (
            stream_id TEXT NOT NULL PRIMARY KEY,
            stream_type TEXT NOT NULL,
            revision INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            deleted TEXT NULL,
            truncated_before INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS streams_by_type_and_update ON streams (stream_type, updated_at, stream_id);
        CREATE TABLE IF NOT EXISTS events (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            stream_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            stream_type TEXT NOT NULL,
            event_id TEXT NULL,
            event_type TEXT NOT NULL,
            payload TEXT NOT NULL,
            metadata TEXT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream_id, revision);
        CREATE INDEX IF NOT EXISTS events_by_type ON events (stream_type, position);
        CREATE TABLE IF NOT EXISTS appends (
            stream_id TEXT NOT NULL,
            first_event_id TEXT NOT NULL,
            first_revision INTEGER NOT NULL,
            event_count INTEGER NOT NULL,
            PRIMARY KEY (stream_id, first_event_id)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS stream_types (
            stream_type TEXT NOT NULL PRIMARY KEY
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outbox (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            stream_id TEXT NOT NULL,
            stream_type TEXT NOT NULL,
            stream_revision INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            change TEXT NULL,
            truncated_before INTEGER NULL
        );
        """;

    // Version 1 → 2: streams can be deleted (soft, hard) and truncated, and the outbox tells those changes from appends.
    private const string RemovalColumns = """
        ALTER TABLE streams ADD COLUMN deleted TEXT NULL;
        ALTER TABLE streams ADD COLUMN truncated_before INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN change TEXT NULL;
        ALTER TABLE outbox ADD COLUMN truncated_before INTEGER NULL;
        """;

    // Version 0 → 1: the events move into the rowid table, in the order they were appended (by time, then stream and
    // revision), each with its stream's type.
    private const string EventsIntoRowidTable = """
        ALTER TABLE events RENAME TO events_version_0;
        """ + Tables + """
        INSERT INTO events (stream_id, revision, stream_type, event_id, event_type, payload, metadata, created_at)
            SELECT e.stream_id, e.revision, COALESCE(s.stream_type, ''), e.event_id, e.event_type, e.payload, e.metadata, e.created_at
            FROM events_version_0 e LEFT JOIN streams s ON s.stream_id = e.stream_id
            ORDER BY e.created_at, e.stream_id, e.revision;
        DROP TABLE events_version_0;
        """;

    // Version 1 → 2 (and 0 → 2, after the events moved): the types of the streams stored so far.
    private const string TypesOfStoredStreams = "INSERT OR IGNORE INTO stream_types (stream_type) SELECT DISTINCT stream_type FROM streams;";

    /// <summary>
    /// Creates the schema, or brings a file of an earlier version up to date, in one write transaction (another process
    /// opening the same file waits, then finds it done).
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <returns>The version the file had: 0 or 1 for a file of an earlier layout, <see cref="Version"/> when it was current or new.</returns>
    /// <exception cref="InvalidOperationException">The file was written by a newer version of the store.</exception>
    public static int CreateOrMigrate(SqliteConnection connection)
    {
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        using var transaction = WriteTransaction.Begin(connection);
        var found = (int)Scalar(connection, "PRAGMA user_version;");
        var hasEvents = Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'events';") > 0;
        if (found > Version)
        {
            throw new InvalidOperationException(
                $"The SQLite file is of schema version {found}, written by a newer version of the event store; this one reads up to version {Version}.");
        }

        var from = hasEvents ? found : Version;
        Execute(connection, from == 0 ? EventsIntoRowidTable : Tables);
        if (from < 2)
        {
            Execute(connection, RemovalColumns);
            Execute(connection, TypesOfStoredStreams);
        }

        Execute(connection, $"PRAGMA user_version = {Version};");
        transaction.Commit();
        return from;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
