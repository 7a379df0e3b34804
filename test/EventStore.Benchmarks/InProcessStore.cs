using EventStore.Testing;
using Microsoft.Extensions.Options;
using ServerlessEventStore.Server.Storage.Sqlite;

namespace EventStore.Benchmarks;

/// <summary>The SQLite adapter in this process, on a fresh file in the temporary folder (where the server's file is too); deleted on dispose.</summary>
internal sealed class InProcessStore : IDisposable
{
    private readonly TemporaryDatabase _database = new("eventstore-bench");

    private InProcessStore() =>
        Storage = new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = _database.Path }), TimeProvider.System);

    public SqliteEventStorage Storage { get; }

    public static async Task<InProcessStore> CreateAsync()
    {
        var store = new InProcessStore();
        await store.Storage.InitializeAsync(CancellationToken.None);
        return store;
    }

    public void Dispose()
    {
        Storage.Dispose();
        _database.Dispose();
    }
}
