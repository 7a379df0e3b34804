using System.Globalization;
using System.Text.Json;
using EventStore.Server.Telemetry;
using EventStore.Types;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EventStore.Server.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Each append is one <c>BEGIN IMMEDIATE</c> transaction, so writers are
/// serialized by the database lock and the check of the stream's revision and the write can't be raced; the primary key
/// (stream_id, revision) is the backstop should anything write around that lock. Within the process, appends queue on an
/// asynchronous gate before they ask for that lock: a waiting append then holds no thread, where SQLite's busy handler
/// would block one in a sleep loop (and starve the thread pool under concurrent appends).
/// </summary>
public sealed partial class SqliteEventStorage : IEventStorage, IDisposable
{
    private const int SqliteConstraint = 19;

    private readonly string _connectionString;
    private readonly string _path;
    private readonly int _busyTimeoutMilliseconds;
    private readonly TimeProvider _timeProvider;
    private readonly ServerTelemetry _telemetry;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <summary>Creates the store on the file named by <paramref name="options"/>.</summary>
    /// <param name="options">Where the file is and how long to wait for the lock.</param>
    /// <param name="timeProvider">Clock for the events' and streams' timestamps.</param>
    public SqliteEventStorage(IOptions<SqliteStorageOptions> options, TimeProvider timeProvider)
        : this(options, timeProvider, ServerTelemetry.Shared)
    {
    }

    internal SqliteEventStorage(IOptions<SqliteStorageOptions> options, TimeProvider timeProvider, ServerTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _telemetry = telemetry;
        _path = Path.GetFullPath(options.Value.Path);
        _busyTimeoutMilliseconds = (int)Math.Ceiling(options.Value.BusyTimeout.TotalMilliseconds);
        _timeProvider = timeProvider;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.Value.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.Create;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        });
    }

    /// <inheritdoc />
    public Task<AppendOutcome> AppendAsync(StreamAppend append, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(append);
        return _telemetry.AppendAsync(TelemetryTags.Sqlite, append, token => AppendCoreAsync(append, token), cancellationToken);
    }

    /// <inheritdoc />
    public Task<StreamDetails?> GetStreamAsync(string streamType, Guid streamId, CancellationToken cancellationToken) =>
        _telemetry.ReadAsync(
            TelemetryTags.ReadDetails, TelemetryTags.Sqlite, streamType, streamId, token => GetStreamCoreAsync(streamType, streamId, token), _ => null, cancellationToken);

    /// <inheritdoc />
    public Task<EventPage?> GetEventsAsync(string streamType, Guid streamId, int afterRevision, int limit, CancellationToken cancellationToken) =>
        _telemetry.ReadAsync(
            TelemetryTags.ReadEvents,
            TelemetryTags.Sqlite,
            streamType,
            streamId,
            token => GetEventsCoreAsync(streamType, streamId, afterRevision, limit, token),
            page => page?.Events.Count,
            cancellationToken);

    /// <inheritdoc />
    public Task<StreamPage> GetStreamsAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken) =>
        _telemetry.ReadAsync(
            TelemetryTags.ReadStreams, TelemetryTags.Sqlite, streamType, null, token => GetStreamsCoreAsync(streamType, updatedAfter, after, limit, token), _ => null, cancellationToken);

    private Task<AppendOutcome> AppendCoreAsync(StreamAppend append, CancellationToken cancellationToken)
    {
        return RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await _writeGate.WaitAsync(cancellationToken);
            try
            {
                return Append(connection, append);
            }
            catch (SqliteException exception) when (exception.SqliteErrorCode == SqliteConstraint)
            {
                // Something wrote these revisions around the lock: decide from what is stored now, as for any conflict.
                return ResolveAfterConstraintViolation(connection, append);
            }
            finally
            {
                _writeGate.Release();
            }
        });
    }

    private Task<StreamDetails?> GetStreamCoreAsync(string streamType, Guid streamId, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            var header = ReadHeader(connection, null, streamId);
            return header is not null && header.StreamType == streamType ? header.ToDetails(streamId) : null;
        });

    private Task<EventPage?> GetEventsCoreAsync(string streamType, Guid streamId, int afterRevision, int limit, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            using var transaction = connection.BeginTransaction(deferred: true);
            var header = ReadHeader(connection, transaction, streamId);
            if (header is null || header.StreamType != streamType)
            {
                return null;
            }

            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                SELECT revision, event_id, event_type, payload, metadata, created_at FROM events
                WHERE stream_id = $id AND revision > $after ORDER BY revision LIMIT $take
                """;
            command.Parameters.AddWithValue("$id", Key(streamId));
            command.Parameters.AddWithValue("$after", afterRevision);
            command.Parameters.AddWithValue("$take", limit + 1);
            var events = new List<RecordedEvent>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    events.Add(new RecordedEvent(
                        createdAt: FromTicks(reader.GetInt64(5)),
                        eventId: reader.IsDBNull(1) ? null : Guid.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                        eventType: reader.GetString(2),
                        metadata: reader.IsDBNull(4) ? null : JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(reader.GetString(4)),
                        payload: JsonSerializer.Deserialize<JsonElement>(reader.GetString(3)),
                        revision: reader.GetInt32(0),
                        streamId: streamId));
                }
            }

            transaction.Commit();
            return (EventPage?)Paging.ToEventPage(events, limit);
        });

    private Task<StreamPage> GetStreamsCoreAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT stream_id, revision, updated_at FROM streams
                WHERE stream_type = $type AND updated_at >= $updatedAfter
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
        });

    private AppendOutcome Append(SqliteConnection connection, StreamAppend append)
    {
        // Non-deferred: BEGIN IMMEDIATE takes the write lock before the revision is read.
        using var transaction = connection.BeginTransaction(deferred: false);
        var header = ReadHeader(connection, transaction, append.StreamId);
        if (header is null ? append.FirstRevision != 1 : header.StreamType != append.StreamType)
        {
            return new AppendOutcome.StreamNotFound();
        }

        if (header is not null && header.Revision != append.FirstRevision - 1)
        {
            return ResolveMismatch(connection, transaction, append, header);
        }

        var now = _timeProvider.GetUtcNow();
        WriteHeader(connection, transaction, append, isNew: header is null, now);
        WriteEvents(connection, transaction, append, now);
        transaction.Commit();
        _outboxSignal.Notify();
        return new AppendOutcome.Appended(new StreamDetails(append.LastRevision, append.StreamId, append.StreamType, now));
    }

    private static AppendOutcome ResolveAfterConstraintViolation(SqliteConnection connection, StreamAppend append)
    {
        using var transaction = connection.BeginTransaction(deferred: true);
        var header = ReadHeader(connection, transaction, append.StreamId);
        if (header is not null && header.StreamType != append.StreamType)
        {
            return new AppendOutcome.StreamNotFound();
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(revision), 0) FROM events WHERE stream_id = $id";
        command.Parameters.AddWithValue("$id", Key(append.StreamId));
        var storedRevision = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        var current = header is null
            ? new StreamHeader(append.StreamType, storedRevision, 0)
            : header with { Revision = Math.Max(header.Revision, storedRevision) };
        return ResolveMismatch(connection, transaction, append, current);
    }

    private static AppendOutcome ResolveMismatch(SqliteConnection connection, SqliteTransaction transaction, StreamAppend append, StreamHeader header)
    {
        if (AppendIdempotency.CanBeRepeat(append, header.Revision)
            && AppendIdempotency.IsRepeat(append, ReadEventIds(connection, transaction, append)))
        {
            return new AppendOutcome.AlreadyAppended(header.ToDetails(append.StreamId));
        }

        return new AppendOutcome.WrongExpectedRevision(header.Revision);
    }

    private static List<Guid?> ReadEventIds(SqliteConnection connection, SqliteTransaction transaction, StreamAppend append)
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
        command.CommandText = "SELECT stream_type, revision, updated_at FROM streams WHERE stream_id = $id";
        command.Parameters.AddWithValue("$id", Key(streamId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StreamHeader(reader.GetString(0), reader.GetInt32(1), reader.GetInt64(2)) : null;
    }

    private static void WriteHeader(SqliteConnection connection, SqliteTransaction transaction, StreamAppend append, bool isNew, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = isNew
            ? "INSERT INTO streams (stream_id, stream_type, revision, updated_at) VALUES ($id, $type, $revision, $now)"
            : "UPDATE streams SET revision = $revision, updated_at = $now WHERE stream_id = $id AND revision = $expected";
        command.Parameters.AddWithValue("$id", Key(append.StreamId));
        command.Parameters.AddWithValue("$type", append.StreamType);
        command.Parameters.AddWithValue("$revision", append.LastRevision);
        command.Parameters.AddWithValue("$expected", append.FirstRevision - 1);
        command.Parameters.AddWithValue("$now", now.UtcTicks);
        command.ExecuteNonQuery();

        using var outbox = connection.CreateCommand();
        outbox.Transaction = transaction;
        outbox.CommandText = "INSERT INTO outbox (stream_id, stream_type, stream_revision, created_at) VALUES ($id, $type, $revision, $now)";
        outbox.Parameters.AddWithValue("$id", Key(append.StreamId));
        outbox.Parameters.AddWithValue("$type", append.StreamType);
        outbox.Parameters.AddWithValue("$revision", append.LastRevision);
        outbox.Parameters.AddWithValue("$now", now.UtcTicks);
        outbox.ExecuteNonQuery();
    }

    private static void WriteEvents(SqliteConnection connection, SqliteTransaction transaction, StreamAppend append, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO events (stream_id, revision, event_id, event_type, payload, metadata, created_at)
            VALUES ($id, $revision, $eventId, $eventType, $payload, $metadata, $createdAt)
            """;
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

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds};");
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (SqliteException exception)
        {
            // Constraint conflicts are decided inside the append; anything else (I/O, busy, corrupt) is the store's fault.
            throw new StorageUnavailableException("The SQLite event store failed: " + exception.Message, exception);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _writeGate.Dispose();

    private static string Key(Guid id) => id.ToString("D");

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private sealed record StreamHeader(string StreamType, int Revision, long UpdatedAtTicks)
    {
        public StreamDetails ToDetails(Guid streamId) => new(Revision, streamId, StreamType, FromTicks(UpdatedAtTicks));
    }
}
