using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
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
        await _storage.AppendAsync(StreamAppend.Create(type, id, 0, [NewEvent()]), default);

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
        await _storage.AppendAsync(StreamAppend.Create(type, id, 0, [NewEvent(), NewEvent()]), default);
        await _storage.AppendAsync(StreamAppend.Create(type, id, 2, [NewEvent()]), default);
        await _storage.AppendAsync(StreamAppend.Create(type, id, 2, [NewEvent()]), default);

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

    private static EventToAppend NewEvent() => new(Guid.NewGuid(), "something-happened", "{}", null);
}
