using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using EventStore.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ServerlessEventStore.Server.Tests.Sqlite;

/// <summary>
/// Every wait of the embedded store is bounded: writes that queue while another process holds the database lock fail at
/// their own deadline (not one busy timeout after another), and waiting holds no connection.
/// </summary>
public sealed class SqliteWaitTests : IAsyncLifetime
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);
    private readonly TemporaryDatabase _database = new();
    private readonly FakeTimeProvider _time = new();
    private SqliteEventStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _storage = new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = _database.Path, BusyTimeout = BusyTimeout }), _time);
        await _storage.InitializeAsync(default);
    }

    public Task DisposeAsync()
    {
        _storage.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AppendAsync_LockHeldByAnotherProcess_QueuedAppendsFailAtTheirDeadline()
    {
        await using var otherProcess = await HoldWriteLockAsync();
        var appends = StartAppends(8);
        await Poll.UntilAsync(
            () => _storage.QueuedWrites == 7 && _storage.WritesInStore == 1, TimeSpan.FromSeconds(10), () => $"{_storage.QueuedWrites} appends queued");

        // The deadline passes while one append waits for the lock inside SQLite and seven wait for their turn.
        _time.Advance(BusyTimeout);
        var finished = await WhenCountCompletedAsync(appends, 7);

        finished.Should().AllSatisfy(append => append.Exception!.InnerException.Should().BeOfType<StorageUnavailableException>()
            .Which.Message.Should().Contain("busy").And.Contain("BusyTimeout"));

        // The one inside SQLite still waits (its wait is SQLite's own, real time): freeing the lock lets it through.
        await otherProcess.ReleaseAsync();
        var last = appends.Single(append => !finished.Contains(append));
        (await last).Should().BeOfType<AppendOutcome.Appended>();
    }

    [Fact]
    public async Task AppendAsync_ManyQueuedWhileLocked_WaitWithoutConnections()
    {
        await using var otherProcess = await HoldWriteLockAsync();
        var before = _database.OpenFiles();
        var appends = StartAppends(300);
        await Poll.UntilAsync(
            () => _storage.QueuedWrites == 299 && _storage.WritesInStore == 1, TimeSpan.FromSeconds(30), () => $"{_storage.QueuedWrites} appends queued");

        // One append holds a connection (database, WAL and shared-memory files) inside SQLite; the 299 queued hold none.
        (_database.OpenFiles() - before).Should().BeLessThanOrEqualTo(3);

        await otherProcess.ReleaseAsync();
        (await Task.WhenAll(appends)).Should().AllBeOfType<AppendOutcome.Appended>();
    }

    private List<Task<AppendOutcome>> StartAppends(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Task.Run(() => _storage.AppendAsync(
            StreamAppend.Create($"t-{Guid.NewGuid():N}", Guid.NewGuid(), 0, [new EventToAppend(Guid.NewGuid(), "e", "{}", null)]),
            CancellationToken.None)))];

    private static async Task<List<Task<AppendOutcome>>> WhenCountCompletedAsync(List<Task<AppendOutcome>> tasks, int count)
    {
        await Poll.UntilAsync(() => tasks.Count(task => task.IsCompleted) >= count, TimeSpan.FromSeconds(10), () => $"{tasks.Count(task => task.IsCompleted)} of {tasks.Count} finished");
        return [.. tasks.Where(task => task.IsCompleted)];
    }

    private async Task<WriteLock> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await connection.OpenAsync();
        var transaction = connection.BeginTransaction(deferred: false);
        return new WriteLock(connection, transaction);
    }

    /// <summary>Another writer's open transaction, as another process would hold it.</summary>
    private sealed class WriteLock(SqliteConnection connection, SqliteTransaction transaction) : IAsyncDisposable
    {
        private bool _released;

        public async Task ReleaseAsync()
        {
            if (!_released)
            {
                _released = true;
                await transaction.RollbackAsync();
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
        }

        public async ValueTask DisposeAsync() => await ReleaseAsync();
    }
}
