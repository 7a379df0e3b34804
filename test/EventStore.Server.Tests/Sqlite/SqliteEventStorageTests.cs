using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ServerlessEventStore.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Tests.Sqlite;

/// <summary>What only the SQLite adapter has: its primary key backstop, its translation of SQLite faults, and the memory it gives back when idle.</summary>
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
    public async Task InitializeAsync_DatabaseFileCannotBeOpened_ThrowsStorageMisconfiguredNamingThePath()
    {
        var directory = Directory.CreateTempSubdirectory("eventstore-test-");
        try
        {
            // A directory where the database file should be: SQLite can't open it.
            var storage = new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = directory.FullName }), TimeProvider.System);

            var initialize = () => storage.InitializeAsync(default);

            var failure = (await initialize.Should().ThrowAsync<StorageMisconfiguredException>()).Which;
            failure.InnerException.Should().BeOfType<SqliteException>();
            failure.Message.Should().Contain(directory.FullName).And.Contain("EventStore:Sqlite:Path");
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

    [Fact]
    public async Task ReleaseIdleMemory_AfterConcurrentReads_ClosesThePooledConnectionsAndReadsOn()
    {
        var id = Guid.NewGuid();
        await AppendOneAsync(id, 0);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _storage.GetEventsAsync(EventRead.Forward("order", id, 0, 10), default))));
        _database.OpenFiles().Should().BePositive("the pool keeps the connections the reads used open");

        ((IReleasesIdleMemory)_storage).ReleaseIdleMemory();

        _database.OpenFiles().Should().Be(0);
        (await AppendOneAsync(id, 1)).Should().BeOfType<AppendOutcome.Appended>();
        var page = await _storage.GetEventsAsync(EventRead.Forward("order", id, 0, 10), default);
        page!.Events.Select(e => e.Revision).Should().Equal(1, 2);
    }

    [Fact]
    public void IdleMemoryTrimmer_RegisteredStore_IsOneOfTheParts()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EventStoreServerExtensions).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration["EventStore:Sqlite:Path"] = _database.Path;
        builder.AddEventStoreServer();
        using var app = builder.Build();
        var provider = app.Services;

        provider.GetServices<IReleasesIdleMemory>().Should().ContainSingle().Which.Should().BeSameAs(provider.GetRequiredService<SqliteEventStorage>());
    }

    private Task<AppendOutcome> AppendOneAsync(Guid id, int expectedRevision) =>
        _storage.AppendAsync(StreamAppend.Create("order", id, expectedRevision, [new EventToAppend(Guid.NewGuid(), "e", "{}", null)]), default);
}
