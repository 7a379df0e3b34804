using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Tests.Sqlite;

/// <summary>What only the SQLite adapter has: its primary key backstop and its translation of SQLite faults.</summary>
public sealed class SqliteEventStorageTests : IAsyncLifetime
{
    private readonly TemporaryDatabase _database = new();
    private SqliteEventStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _storage = new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = _database.Path }), TimeProvider.System);
        await _storage.InitializeAsync(default);
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AppendAsync_RevisionWrittenAroundTheLock_ReturnsWrongExpectedRevisionNotAnError()
    {
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());
        await _storage.AppendAsync(new StreamAppend(type, id, 1, [NewEvent()]), default);
        await InsertEventRowAsync(id, 2, Guid.NewGuid());

        var outcome = await _storage.AppendAsync(new StreamAppend(type, id, 2, [NewEvent()]), default);

        outcome.Should().BeOfType<AppendOutcome.WrongExpectedRevision>().Which.CurrentRevision.Should().Be(2);
    }

    [Fact]
    public async Task AppendAsync_RepeatOfRevisionWrittenAroundTheLock_ReturnsAlreadyAppended()
    {
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());
        await _storage.AppendAsync(new StreamAppend(type, id, 1, [NewEvent()]), default);
        var racer = NewEvent();
        await InsertEventRowAsync(id, 2, racer.EventId!.Value);

        var outcome = await _storage.AppendAsync(new StreamAppend(type, id, 2, [racer]), default);

        outcome.Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.StreamId.Should().Be(id);
    }

    [Fact]
    public async Task InitializeAsync_DatabaseFileCannotBeOpened_ThrowsStorageUnavailable()
    {
        var directory = Directory.CreateTempSubdirectory("eventstore-test-");
        try
        {
            // A directory where the database file should be: SQLite can't open it.
            var storage = new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = directory.FullName }), TimeProvider.System);

            var initialize = () => storage.InitializeAsync(default);

            (await initialize.Should().ThrowAsync<StorageUnavailableException>()).Which.InnerException.Should().BeOfType<SqliteException>();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task InitializeAsync_ExistingDatabase_KeepsItsEvents()
    {
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());
        await _storage.AppendAsync(new StreamAppend(type, id, 1, [NewEvent()]), default);

        await _storage.InitializeAsync(default);

        (await _storage.GetStreamAsync(type, id, default))!.Revision.Should().Be(1);
    }

    [Fact]
    public async Task InitializeAsync_NewDatabase_UsesWriteAheadLog()
    {
        await using var connection = new SqliteConnection($"Data Source={_database.Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        var mode = await command.ExecuteScalarAsync();

        mode.Should().Be("wal");
    }

    [Fact]
    public async Task AppendAsync_Appended_WritesOneOutboxRowPerAppend()
    {
        var (type, id) = ($"t-{Guid.NewGuid():N}", Guid.NewGuid());
        await _storage.AppendAsync(new StreamAppend(type, id, 1, [NewEvent(), NewEvent()]), default);
        await _storage.AppendAsync(new StreamAppend(type, id, 3, [NewEvent()]), default);
        await _storage.AppendAsync(new StreamAppend(type, id, 3, [NewEvent()]), default);

        await using var connection = new SqliteConnection($"Data Source={_database.Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_revision FROM outbox WHERE stream_id = $id ORDER BY sequence";
        command.Parameters.AddWithValue("$id", id.ToString("D"));
        var revisions = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            revisions.Add(reader.GetInt64(0));
        }

        revisions.Should().Equal(2, 3);
    }

    private async Task InsertEventRowAsync(Guid streamId, int revision, Guid eventId)
    {
        // Another writer that bypassed the stream header: only the primary key stands in the way.
        await using var connection = new SqliteConnection($"Data Source={_database.Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO events (stream_id, revision, event_id, event_type, payload, metadata, created_at)
            VALUES ($id, $revision, $eventId, 'racer', '{}', NULL, 0)
            """;
        command.Parameters.AddWithValue("$id", streamId.ToString("D"));
        command.Parameters.AddWithValue("$revision", revision);
        command.Parameters.AddWithValue("$eventId", eventId.ToString("D"));
        await command.ExecuteNonQueryAsync();
    }

    private static EventToAppend NewEvent() => new(Guid.NewGuid(), "something-happened", "{}", null);
}
