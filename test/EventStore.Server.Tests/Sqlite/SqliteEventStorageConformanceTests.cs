using EventStore.Server.Storage;
using EventStore.Server.Storage.Sqlite;
using EventStore.Server.Tests.Conformance;
using Microsoft.Extensions.Options;

namespace EventStore.Server.Tests.Sqlite;

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
