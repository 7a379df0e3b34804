using System.Globalization;
using ServerlessEventStore.Types;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ServerlessEventStore.Server.Hosting;
using SQLitePCL;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so that an acknowledged write survives
/// a power loss. Writes go through one writer that commits concurrent ones together (group commit, see
/// <see cref="WriteQueuedAsync"/>); each runs in a savepoint of the batch's <c>BEGIN IMMEDIATE</c> transaction, so the
/// check of the stream's revision and the write can't be raced, and one write's refusal or failure undoes only its own
/// changes. The unique index on (stream_id, revision) is the backstop should anything write around the lock. Reads run
/// on connections of their own, a bounded number at a time, queued on an asynchronous gate: a waiting operation holds no
/// thread and no connection (where SQLite's busy handler would block a thread in a sleep loop), and every wait ends
/// after the busy timeout.
/// </summary>
public sealed partial class SqliteEventStorage : IEventStorage, IReleasesIdleMemory, IDisposable
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqlitePermission = 3;
    private const int SqliteReadOnly = 8;
    private const int SqliteCantOpen = 14;

    private readonly string _connectionString;
    private readonly string _path;
    private readonly TimeSpan _busyTimeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _readGate;
    private volatile bool _initialized;

    /// <summary>Creates the store on the file named by <paramref name="options"/>.</summary>
    /// <param name="options">Where the file is, how long to wait for it, and how many reads may run at once.</param>
    /// <param name="timeProvider">Clock for the events' and streams' timestamps and for the waits.</param>
    /// <param name="logger">Told when a file of an earlier schema is brought up to date.</param>
    public SqliteEventStorage(IOptions<SqliteStorageOptions> options, TimeProvider timeProvider, ILogger<SqliteEventStorage>? logger = null)
        : this(options, timeProvider, logger, new SqliteWriterHooks())
    {
    }

    /// <summary>Creates the store, with <paramref name="hooks"/> into its writer.</summary>
    internal SqliteEventStorage(IOptions<SqliteStorageOptions> options, TimeProvider timeProvider, ILogger<SqliteEventStorage>? logger, SqliteWriterHooks hooks)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(hooks);
        _path = System.IO.Path.GetFullPath(options.Value.Path);
        _busyTimeout = options.Value.BusyTimeout;
        _timeProvider = timeProvider;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _hooks = hooks;
        _readGate = new SemaphoreSlim(options.Value.MaxReadConnections, options.Value.MaxReadConnections);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // SQLite's busy handler waits for the lock (busy_timeout, set per use to what is left of the wait), when a
            // write transaction begins (WriteTransaction): that is the wait EventStore:Sqlite:BusyTimeout sets.
            // Microsoft.Data.Sqlite's own retries of a busy statement, in whole seconds on top of the busy handler, are
            // kept to their minimum for the rare busy statement elsewhere (a read during a checkpoint): 1 s, not 0,
            // which to Microsoft.Data.Sqlite means waiting forever.
            DefaultTimeout = 1,
        }.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CreateDirectory();
        var started = _timeProvider.GetTimestamp();
        int from;
        try
        {
            // On a connection of its own: it runs at start-up, before any write is queued, and a writer of another
            // process waits for SQLite's lock.
            using var connection = Open(_busyTimeout);
            from = SqliteSchema.CreateOrMigrate(connection);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }

        _initialized = true;

        if (from != SqliteSchema.Version)
        {
            var elapsed = _timeProvider.GetElapsedTime(started);
            LogMigrated(_logger, _path, from, SqliteSchema.Version, elapsed.TotalMilliseconds);
        }

        LogOpened(_logger, _path);
    }

    // Where the data is, said once: the default file is in the user's data folder, not where the server was started.
    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Embedded store (SQLite): {Path}")]
    private static partial void LogOpened(ILogger logger, string path);

    /// <summary>The full path of the store's file.</summary>
    internal string Path => _path;

    /// <summary>
    /// Whether the store can take writes now: its schema prepared (if start-up could not, it is tried again here), and
    /// SQLite's write lock taken and given back at once, on a connection of its own.
    /// </summary>
    /// <exception cref="StorageMisconfiguredException">The file can't be created, opened or written; the message names it.</exception>
    /// <exception cref="StorageUnavailableException">The file is busy, or failed otherwise.</exception>
    internal async Task CheckWritableAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken);
            return;
        }

        try
        {
            using var connection = Open(_busyTimeout);
            using var write = WriteTransaction.Begin(connection);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }
    }

    private void CreateDirectory()
    {
        var directory = System.IO.Path.GetDirectoryName(_path);
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw Unwritable(exception.Message, exception);
        }
    }

    private StorageMisconfiguredException Unwritable(string reason, Exception exception) => new(
        $"The SQLite file '{_path}' (EventStore:Sqlite:Path) can't be created or written: {reason}", exception);

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "Brought the SQLite file {Path} from schema version {From} to {To} in {Milliseconds} ms")]
    private static partial void LogMigrated(ILogger logger, string path, int from, int to, double milliseconds);

    /// <inheritdoc />
    public Task<AppendOutcome> AppendAsync(StreamAppend append, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(append);
        return WriteAsync(connection => Append(connection, append), append.Events.Sum(Characters), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One write, like an append (in a batch, in a savepoint of its own): the header and the removal of the events
    /// together, whatever their number.
    /// </remarks>
    public Task<RemovalOutcome> RemoveAsync(StreamRemoval removal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removal);
        return WriteAsync(connection => Remove(connection, removal), characters: 0, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StreamDetails?> GetStreamAsync(string streamType, Guid streamId, CancellationToken cancellationToken) =>
        ReadAsync(
            connection => StreamHeader.ForRead(ReadHeader(connection, null, streamId), streamType)?.ToDetails(streamId),
            cancellationToken);

    /// <inheritdoc />
    public Task<EventPage?> GetEventsAsync(EventRead read, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            var header = StreamHeader.ForRead(ReadHeader(connection, transaction, read.StreamId), read.StreamType);
            if (header is null)
            {
                return null;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = read.IsBackward
                ? """
                  SELECT revision, event_id, event_type, payload, metadata, created_at FROM events
                  WHERE stream_id = $id AND revision BETWEEN $lowest AND $highest ORDER BY revision DESC LIMIT $take
                  """
                : """
                  SELECT revision, event_id, event_type, payload, metadata, created_at FROM events
                  WHERE stream_id = $id AND revision BETWEEN $lowest AND $highest ORDER BY revision LIMIT $take
                  """;
            command.Parameters.AddWithValue("$id", Key(read.StreamId));
            command.Parameters.AddWithValue("$lowest", read.LowestRevision);
            command.Parameters.AddWithValue("$highest", read.HighestRevision);
            command.Parameters.AddWithValue("$take", read.Limit + 1);
            var streamId = read.StreamId;
            var limit = read.Limit;
            var events = new List<RecordedEvent>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    events.Add(ReadEvent(reader, streamId));
                }
            }

            transaction.Commit();
            return (EventPage?)Paging.ToEventPage(events, limit);
        },
        cancellationToken);

    /// <inheritdoc />
    public Task<StreamPage> GetStreamsAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT stream_id, revision, updated_at FROM streams
                WHERE stream_type = $type AND updated_at >= $updatedAfter AND deleted IS NULL
                  AND ($afterId IS NULL OR updated_at > $afterUpdatedAt OR (updated_at = $afterUpdatedAt AND stream_id > $afterId))
                ORDER BY updated_at, stream_id LIMIT $take
                """;
            command.Parameters.AddWithValue("$type", streamType);
            command.Parameters.AddWithValue("$updatedAfter", updatedAfter.UtcTicks);
            command.Parameters.AddWithValue("$afterId", after is null ? DBNull.Value : Key(after.StreamId));
            command.Parameters.AddWithValue("$afterUpdatedAt", after?.UpdatedAt.UtcTicks ?? 0L);
            command.Parameters.AddWithValue("$take", limit + 1);
            var streams = new List<StreamDetails>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    streams.Add(new StreamDetails(
                        reader.GetInt32(1),
                        Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture),
                        streamType,
                        FromTicks(reader.GetInt64(2))));
                }
            }

            return Paging.ToStreamPage(streams, limit);
        },
        cancellationToken);

    /// <inheritdoc />
    /// <remarks>In name order (ordinal): the order of the table's key.</remarks>
    public Task<StreamTypePage> GetStreamTypesAsync(StreamTypePageKey? after, int limit, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT stream_type FROM stream_types WHERE $after IS NULL OR stream_type > $after ORDER BY stream_type LIMIT $take";
            command.Parameters.AddWithValue("$after", (object?)after?.StreamType ?? DBNull.Value);
            command.Parameters.AddWithValue("$take", limit + 1);
            var streamTypes = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    streamTypes.Add(reader.GetString(0));
                }
            }

            return Paging.ToStreamTypePage(streamTypes, limit, storeStoppedEarly: false);
        },
        cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// In commit order: a position is taken inside the write transaction of the append's batch, and writers take turns
    /// for the database's lock, so no position becomes readable before a lower one.
    /// </remarks>
    public Task<StreamTypeEventPage> GetStreamTypeEventsAsync(string streamType, EventCheckpoint after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        return ReadAsync(
            connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = """
                    SELECT revision, event_id, event_type, payload, metadata, created_at, position, stream_id FROM events
                    WHERE stream_type = $type AND position > $after ORDER BY position LIMIT $take
                    """;
                command.Parameters.AddWithValue("$type", streamType);
                command.Parameters.AddWithValue("$after", after.Position);
                command.Parameters.AddWithValue("$take", limit + 1);
                var events = new List<(RecordedEvent, EventCheckpoint)>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        var recorded = ReadEvent(reader, Guid.Parse(reader.GetString(7), CultureInfo.InvariantCulture));
                        events.Add((recorded, new EventCheckpoint(reader.GetInt64(6), recorded.StreamId, recorded.Revision)));
                    }
                }

                return Paging.ToStreamTypeEventPage(events, limit, storeStoppedEarly: false, after, readThrough: null);
            },
            cancellationToken);
    }

    /// <summary>An event from a row whose first columns are revision, event_id, event_type, payload, metadata, created_at.</summary>
    private static RecordedEvent ReadEvent(SqliteDataReader reader, Guid streamId) => new(
        createdAt: FromTicks(reader.GetInt64(5)),
        eventId: reader.IsDBNull(1) ? null : Guid.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
        eventType: reader.GetString(2),
        metadata: reader.IsDBNull(4) ? null : StoredJson.Metadata(reader.GetString(4)),
        payload: StoredJson.Payload(reader.GetString(3)),
        revision: reader.GetInt32(0),
        streamId: streamId);

    private AppendOutcome Append(SqliteConnection connection, StreamAppend append)
    {
        // The batch's BEGIN IMMEDIATE took the write lock before the header is read: the decision and the write can't be
        // raced. The savepoint keeps this append's writes apart from those of the batch's other writes.
        using var transaction = WriteTransaction.Savepoint(connection);
        var header = ReadHeader(connection, null, append.StreamId);
        if (append.IsAtTheEnd)
        {
            switch (AppendDecision.Anchor(append, header, ReadRecord(connection, append)))
            {
                case AppendVerdict.Done done:
                    return done.Outcome;
                case AppendVerdict.CompareEventIdsAt at:
                    return AppendDecision.Repeat(at.Append, header!, ReadEventIds(connection, null, at.Append));
                case AppendVerdict.WriteAt at:
                    append = at.Append;
                    break;
            }
        }

        switch (AppendDecision.Decide(append, header))
        {
            case AppendVerdict.Done done:
                return done.Outcome;
            case AppendVerdict.CompareEventIds:
                return AppendDecision.Repeat(append, header!, ReadEventIds(connection, null, append));
        }

        var now = _timeProvider.GetUtcNow();
        try
        {
            WriteHeader(connection, append, isNew: header is null, now);
            WriteEvents(connection, append, now);
            if (append.IsAtTheEnd)
            {
                WriteRecord(connection, append);
            }
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteConstraint)
        {
            // Something wrote these revisions around the lock (the unique index caught it): undo this append's writes,
            // then decide from what is stored.
            transaction.Dispose();
            return AppendDecision.AroundHeader(
                append, ReadHeader(connection, null, append.StreamId), HighestRevision(connection, null, append.StreamId), ReadEventIds(connection, null, append));
        }

        transaction.Commit();
        return AppendDecision.Appended(append, now);
    }

    private RemovalOutcome Remove(SqliteConnection connection, StreamRemoval removal)
    {
        using var transaction = WriteTransaction.Savepoint(connection);
        var verdict = RemovalDecision.Decide(removal, ReadHeader(connection, null, removal.StreamId));
        if (verdict is RemovalVerdict.Done done)
        {
            return done.Outcome;
        }

        var (header, changed) = (RemovalVerdict.Write)verdict;
        if (changed)
        {
            var now = _timeProvider.GetUtcNow();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE streams SET deleted = $deleted, truncated_before = $truncatedBefore WHERE stream_id = $id";
            command.Parameters.AddWithValue("$id", Key(removal.StreamId));
            command.Parameters.AddWithValue("$deleted", header.Deleted is { } mode ? mode.ToString().ToLowerInvariant() : DBNull.Value);
            command.Parameters.AddWithValue("$truncatedBefore", header.TruncatedBefore);
            command.ExecuteNonQuery();
            WriteOutbox(connection, removal.StreamId, header with { UpdatedAt = now }, removal.Change);
        }

        var below = RemovalDecision.RemovedBelow(removal, header);
        if (below > 0)
        {
            using var events = connection.CreateCommand();
            events.CommandText = "DELETE FROM events WHERE stream_id = $id AND revision < $below";
            events.Parameters.AddWithValue("$id", Key(removal.StreamId));
            events.Parameters.AddWithValue("$below", below);
            events.ExecuteNonQuery();
            if (header.Deleted is DeleteMode.Hard)
            {
                using var records = connection.CreateCommand();
                records.CommandText = "DELETE FROM appends WHERE stream_id = $id";
                records.Parameters.AddWithValue("$id", Key(removal.StreamId));
                records.ExecuteNonQuery();
            }
        }

        transaction.Commit();
        return new RemovalOutcome.Removed();
    }

    private static AppendRecord? ReadRecord(SqliteConnection connection, StreamAppend append)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT first_revision, event_count FROM appends WHERE stream_id = $id AND first_event_id = $eventId";
        command.Parameters.AddWithValue("$id", Key(append.StreamId));
        command.Parameters.AddWithValue("$eventId", Key(append.FirstEventId!.Value));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new AppendRecord(reader.GetInt32(0), reader.GetInt32(1)) : null;
    }

    private static void WriteRecord(SqliteConnection connection, StreamAppend append)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO appends (stream_id, first_event_id, first_revision, event_count) VALUES ($id, $eventId, $first, $count)";
        command.Parameters.AddWithValue("$id", Key(append.StreamId));
        command.Parameters.AddWithValue("$eventId", Key(append.FirstEventId!.Value));
        command.Parameters.AddWithValue("$first", append.FirstRevision);
        command.Parameters.AddWithValue("$count", append.Events.Count);
        command.ExecuteNonQuery();
    }

    private static int HighestRevision(SqliteConnection connection, SqliteTransaction? transaction, Guid streamId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(revision), 0) FROM events WHERE stream_id = $id";
        command.Parameters.AddWithValue("$id", Key(streamId));
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static List<Guid?> ReadEventIds(SqliteConnection connection, SqliteTransaction? transaction, StreamAppend append)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT event_id FROM events WHERE stream_id = $id AND revision BETWEEN $first AND $last ORDER BY revision";
        command.Parameters.AddWithValue("$id", Key(append.StreamId));
        command.Parameters.AddWithValue("$first", append.FirstRevision);
        command.Parameters.AddWithValue("$last", append.LastRevision);
        var ids = new List<Guid?>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.IsDBNull(0) ? null : Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture));
        }

        return ids;
    }

    private static StreamHeader? ReadHeader(SqliteConnection connection, SqliteTransaction? transaction, Guid streamId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT stream_type, revision, updated_at, deleted, truncated_before FROM streams WHERE stream_id = $id";
        command.Parameters.AddWithValue("$id", Key(streamId));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new StreamHeader(
                reader.GetString(0),
                reader.GetInt32(1),
                FromTicks(reader.GetInt64(2)),
                reader.IsDBNull(3) ? null : Enum.Parse<DeleteMode>(reader.GetString(3), ignoreCase: true),
                reader.GetInt32(4))
            : null;
    }

    private void WriteHeader(SqliteConnection connection, StreamAppend append, bool isNew, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.CommandText = isNew
            ? "INSERT INTO streams (stream_id, stream_type, revision, updated_at) VALUES ($id, $type, $revision, $now)"
            : "UPDATE streams SET revision = $revision, updated_at = $now WHERE stream_id = $id AND revision = $expected";
        command.Parameters.AddWithValue("$id", Key(append.StreamId));
        command.Parameters.AddWithValue("$type", append.StreamType);
        command.Parameters.AddWithValue("$revision", append.LastRevision);
        command.Parameters.AddWithValue("$expected", append.ExpectedRevision);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.ExecuteNonQuery();

        WriteOutbox(connection, append.StreamId, new StreamHeader(append.StreamType, append.LastRevision, now), change: null);
        if (isNew)
        {
            using var streamType = connection.CreateCommand();
            streamType.CommandText = "INSERT OR IGNORE INTO stream_types (stream_type) VALUES ($type)";
            streamType.Parameters.AddWithValue("$type", append.StreamType);
            streamType.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The outbox row of a change to the stream: an append (<paramref name="change"/> null), a delete or a truncation.
    /// Its batch's commit wakes the relay.
    /// </summary>
    private void WriteOutbox(SqliteConnection connection, Guid streamId, StreamHeader header, StreamChange? change)
    {
        _outboxWritten = true;
        using var outbox = connection.CreateCommand();
        outbox.CommandText = """
            INSERT INTO outbox (stream_id, stream_type, stream_revision, created_at, change, truncated_before)
            VALUES ($id, $type, $revision, $now, $change, $truncatedBefore)
            """;
        outbox.Parameters.AddWithValue("$id", Key(streamId));
        outbox.Parameters.AddWithValue("$type", header.StreamType);
        outbox.Parameters.AddWithValue("$revision", header.Revision);
        outbox.Parameters.AddWithValue("$now", header.UpdatedAt.UtcTicks);
        outbox.Parameters.AddWithValue("$change", change is { } marked ? marked.Name : DBNull.Value);
        outbox.Parameters.AddWithValue("$truncatedBefore", change == StreamChange.Truncated ? header.TruncatedBefore : DBNull.Value);
        outbox.ExecuteNonQuery();
    }

    private static void WriteEvents(SqliteConnection connection, StreamAppend append, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO events (stream_id, revision, stream_type, event_id, event_type, payload, metadata, created_at)
            VALUES ($id, $revision, $type, $eventId, $eventType, $payload, $metadata, $createdAt)
            """;
        command.Parameters.AddWithValue("$type", append.StreamType);
        var revision = command.Parameters.Add("$revision", SqliteType.Integer);
        var eventId = command.Parameters.Add("$eventId", SqliteType.Text);
        var eventType = command.Parameters.Add("$eventType", SqliteType.Text);
        var payload = command.Parameters.Add("$payload", SqliteType.Text);
        var metadata = command.Parameters.Add("$metadata", SqliteType.Text);
        command.Parameters.AddWithValue("$id", Key(append.StreamId));
        command.Parameters.AddWithValue("$createdAt", now.UtcTicks);
        for (var i = 0; i < append.Events.Count; i++)
        {
            var next = append.Events[i];
            revision.Value = append.FirstRevision + i;
            eventId.Value = next.EventId is { } id ? Key(id) : DBNull.Value;
            eventType.Value = next.EventType;
            payload.Value = next.PayloadJson;
            metadata.Value = (object?)next.MetadataJson ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// Runs a read on a connection of its own, at most <see cref="SqliteStorageOptions.MaxReadConnections"/> at a time,
    /// so that a burst of requests can't open connections (file descriptors, page caches) without bound. The whole
    /// wait — the gate, then SQLite, which another process may hold busy — ends after
    /// <see cref="SqliteStorageOptions.BusyTimeout"/> with <see cref="StorageUnavailableException"/>.
    /// </summary>
    private async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        using (var timeout = new CancellationTokenSource(_busyTimeout, _timeProvider))
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                await _readGate.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw Busy();
            }
        }

        try
        {
            var left = _busyTimeout - _timeProvider.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw Busy();
            }

            using var connection = Open(left);
            return read(connection);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }
        finally
        {
            _readGate.Release();
        }
    }

    /// <summary>What a fault of SQLite is to the port; other exceptions as they are.</summary>
    private Exception Translate(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } => Busy(),
        SqliteException { SqliteErrorCode: SqlitePermission or SqliteReadOnly or SqliteCantOpen } refused => Unwritable(refused.Message, refused),
        SqliteException { SqliteErrorCode: SqliteTooBig } tooBig =>
            new StorageLimitExceededException("The events are larger than the SQLite event store holds: " + tooBig.Message, tooBig),
        // Constraint conflicts are decided inside the append; anything else (I/O, corrupt) is the store's fault.
        SqliteException failed => new StorageUnavailableException($"The SQLite event store '{_path}' failed: " + failed.Message, failed),
        _ => exception,
    };

    private StorageUnavailableException Busy() => new(
        $"The SQLite event store is busy: it was not free within EventStore:Sqlite:BusyTimeout ({_busyTimeout.TotalSeconds:0.###} s).");

    /// <summary>A connection (from the pool) whose wait for SQLite's lock ends after <paramref name="busyTimeout"/>.</summary>
    private SqliteConnection Open(TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            raw.sqlite3_busy_timeout(connection.Handle, Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalMilliseconds)));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Closes the pooled connections not in use, and with them their page caches (up to 2 MiB each, SQLite's default);
    /// a connection in use is closed when it is given back. The next operation opens a connection again.
    /// </summary>
    void IReleasesIdleMemory.ReleaseIdleMemory()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Writes what is queued already, once the batch in progress is done; a write queued after this fails. Then closes
    /// the file: its pooled connections are closed, so that it can be moved or deleted.
    /// </remarks>
    public void Dispose()
    {
        if (!_writes.Writer.TryComplete())
        {
            return;
        }

        _writer.Wait();
        while (TakeNext(long.MaxValue, durableAllowed: true) is { } first)
        {
            WriteBatch(first);
        }

        _readGate.Dispose();
        ((IReleasesIdleMemory)this).ReleaseIdleMemory();
    }

    private static string Key(Guid id) => id.ToString("D");

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>The size of an event's data, in characters: what a batch of writes is bounded by.</summary>
    private static long Characters(EventToAppend next) => next.PayloadJson.Length + (long)(next.MetadataJson?.Length ?? 0);
}
