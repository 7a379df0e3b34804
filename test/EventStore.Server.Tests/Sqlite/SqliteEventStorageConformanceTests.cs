using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using ServerlessEventStore.Server.Tests.Conformance;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Tests.Sqlite;

public sealed class SqliteEventStorageConformanceTests : EventStorageConformanceTests
{
    private readonly TemporaryDatabase _database = new();

    protected override Task<IEventStorage> CreateStorageAsync(TimeProvider timeProvider) =>
        Task.FromResult<IEventStorage>(new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = _database.Path }), timeProvider));

    public override Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }
}
