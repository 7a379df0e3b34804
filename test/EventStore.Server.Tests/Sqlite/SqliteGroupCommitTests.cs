using System.Collections.Concurrent;
using System.Globalization;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Storage.Sqlite;
using ServerlessEventStore.Types;
using EventStore.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SQLitePCL;

namespace ServerlessEventStore.Server.Tests.Sqlite;

/// <summary>
/// Group commit: writes queued together are committed in one transaction, each decided on the state the earlier ones of
/// the batch left, and one that is refused or fails changes nothing of the others. The writer is held before a batch
/// (its hook) until the writes of the test are queued, so that they make up one batch, in the order they were queued.
/// The store's clock never moves: nothing the writer does waits for time.
/// </summary>
public sealed class SqliteGroupCommitTests : IAsyncLifetime
{
    private readonly TemporaryDatabase _database = new();
    private readonly ConcurrentQueue<int> _batches = new();
    private readonly string _type = $"t-{Guid.NewGuid():N}";
    private SqliteEventStorage _storage = null!;
    private TaskCompletionSource _hold = Released();
    private Action<SqliteConnection>? _onBatchBegun;

    public async Task InitializeAsync()
    {
        var hooks = new SqliteWriterHooks
        {
            BeforeBatch = () => _hold.Task,
            BatchBegun = connection => _onBatchBegun?.Invoke(connection),
            Committed = _batches.Enqueue,
        };
        _storage = new SqliteEventStorage(Options.Create(new SqliteStorageOptions { Path = _database.Path }), new FakeTimeProvider(), null, hooks);
        await _storage.InitializeAsync(default);
    }

    public Task DisposeAsync()
    {
        _hold.TrySetResult();
        _storage.Dispose();
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AppendAsync_InterleavedInOneBatch_EachDecidedOnWhatTheEarlierOnesLeft()
    {
        var (a, b, c, d) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var (first, second, atTheEnd, fourth) = (Event(), Event(), Event(), Event());
        await AppendAsync(a, 0, first);
        // The writer's connection refuses values over 64 KB: an event of 100 KB is over the store's limit.
        _onBatchBegun = connection => raw.sqlite3_limit(connection.Handle, raw.SQLITE_LIMIT_LENGTH, 64 * 1024);

        var outcomes = await QueuedTogetherAsync(
            () => AppendAsync(a, 1, second),
            () => AppendAsync(b, 0, Event()),
            () => AppendAsync(a, 1, Event()),
            () => AppendAsync(a, 1, second),
            () => AppendAsync(c, 0, Event(Payload(100 * 1024))),
            () => AppendAsync(a, ExpectedRevision.Any, atTheEnd),
            () => AppendAsync(b, 1, Event()),
            () => AppendAsync(a, ExpectedRevision.Any, atTheEnd),
            () => AppendAsync(d, ExpectedRevision.StreamExists, Event()),
            () => AppendAsync(a, 3, fourth),
            () => AppendAsync(a, 0, first),
            () => RemoveAsync(StreamRemoval.Delete(_type, b, DeleteMode.Soft, expectedRevision: 2)),
            () => AppendAsync(b, 2, Event()));

        _batches.Should().Equal(13);
        outcomes[0].Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(2);
        outcomes[1].Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(1);
        outcomes[2].Should().Be(new AppendOutcome.WrongExpectedRevision(2), "the batch's first append moved the stream on");
        outcomes[3].Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Revision.Should().Be(2, "it repeats the batch's first append");
        outcomes[4].Should().BeOfType<StorageLimitExceededException>();
        outcomes[5].Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(3);
        outcomes[6].Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(2);
        outcomes[7].Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Revision.Should().Be(3, "the batch recorded the append it repeats");
        outcomes[8].Should().BeOfType<AppendOutcome.StreamNotFound>();
        outcomes[9].Should().BeOfType<AppendOutcome.Appended>().Which.Stream.Revision.Should().Be(4);
        outcomes[10].Should().BeOfType<AppendOutcome.AlreadyAppended>().Which.Stream.Revision.Should().Be(4);
        outcomes[11].Should().BeOfType<RemovalOutcome.Removed>();
        outcomes[12].Should().BeOfType<AppendOutcome.StreamDeleted>();

        var events = await _storage.GetEventsAsync(EventRead.Forward(_type, a, 0, 100), default);
        events!.Events.Select(e => e.EventId).Should().Equal(first.EventId, second.EventId, atTheEnd.EventId, fourth.EventId);
        (await _storage.GetStreamAsync(_type, c, default)).Should().BeNull();
        (await _storage.GetStreamAsync(_type, d, default)).Should().BeNull();
        (await OutboxAsync()).Should().Equal((a, 1, null), (a, 2, null), (b, 1, null), (a, 3, null), (b, 2, null), (a, 4, null), (b, 2, "deleted"));
    }

    [Fact]
    public async Task AppendAsync_OneFailsInsideTheBatch_TheOthersAreCommitted()
    {
        var (before, failing, after) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        // SQLite fails the failing append's insert of its event, after it wrote its stream's row and its outbox row.
        _onBatchBegun = connection =>
        {
            connection.CreateFunction<long>("injected_fault", () => throw new InvalidOperationException("injected fault"));
            using var trigger = connection.CreateCommand();
            trigger.CommandText = $"""
                CREATE TEMP TRIGGER IF NOT EXISTS injected_fault BEFORE INSERT ON main.events
                WHEN NEW.stream_id = '{failing:D}' BEGIN SELECT injected_fault(); END;
                """;
            trigger.ExecuteNonQuery();
        };

        var outcomes = await QueuedTogetherAsync(
            () => AppendAsync(before, 0, Event()),
            () => AppendAsync(failing, 0, Event()),
            () => AppendAsync(after, 0, Event()),
            () => AppendAsync(before, 1, Event()));

        _batches.Should().Equal(4);
        outcomes[1].Should().BeOfType<StorageUnavailableException>().Which.Message.Should().Contain("injected fault");
        outcomes.Where((_, i) => i != 1).Should().AllBeOfType<AppendOutcome.Appended>();
        (await _storage.GetStreamAsync(_type, failing, default)).Should().BeNull();
        (await OutboxAsync()).Should().Equal((before, 1, null), (after, 1, null), (before, 2, null));
    }

    [Fact]
    public async Task AppendAsync_CommitFails_NoneOfTheBatchIsAcknowledgedOrStored()
    {
        var streams = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        // A commit hook that vetoes turns the batch's COMMIT into a failure, as a disk that can't sync would.
        _onBatchBegun = connection => raw.sqlite3_commit_hook(connection.Handle, _ => 1, null);

        var outcomes = await QueuedTogetherAsync([.. streams.Select(stream => (Func<Task<object>>)(() => AppendAsync(stream, 0, Event())))]);

        outcomes.Should().AllBeOfType<StorageUnavailableException>();
        _batches.Should().BeEmpty();
        (await OutboxAsync()).Should().BeEmpty();
        _onBatchBegun = connection => raw.sqlite3_commit_hook(connection.Handle, null, null);
        foreach (var stream in streams)
        {
            (await _storage.GetStreamAsync(_type, stream, default)).Should().BeNull();
            (await AppendAsync(stream, 0, Event())).Should().BeOfType<AppendOutcome.Appended>("the failure is one to retry");
        }
    }

    [Fact]
    public async Task AppendAsync_Alone_IsABatchOfItsOwn()
    {
        (await AppendAsync(Guid.NewGuid(), 0, Event())).Should().BeOfType<AppendOutcome.Appended>();
        (await AppendAsync(Guid.NewGuid(), 0, Event())).Should().BeOfType<AppendOutcome.Appended>();

        _batches.Should().Equal(1, 1);
    }

    [Fact]
    public async Task AppendAsync_MoreQueuedThanABatchHolds_CommittedInBatchesOfTheMost()
    {
        var count = SqliteEventStorage.MaxWritesPerBatch + 2;

        var outcomes = await QueuedTogetherAsync([.. Enumerable.Range(0, count).Select(_ => (Func<Task<object>>)(() => AppendAsync(Guid.NewGuid(), 0, Event())))]);

        outcomes.Should().AllBeOfType<AppendOutcome.Appended>();
        _batches.Should().Equal(SqliteEventStorage.MaxWritesPerBatch, 2);
    }

    [Fact]
    public async Task AppendAsync_MoreEventDataQueuedThanABatchHolds_CommittedInBatchesWithinTheBound()
    {
        var payload = Payload(200 * 1024);
        var perBatch = (int)(SqliteEventStorage.MaxCharactersPerBatch / payload.Length);

        var outcomes = await QueuedTogetherAsync([.. Enumerable.Range(0, perBatch + 3).Select(_ => (Func<Task<object>>)(() => AppendAsync(Guid.NewGuid(), 0, Event(payload))))]);

        outcomes.Should().AllBeOfType<AppendOutcome.Appended>();
        _batches.Should().Equal(perBatch, 3);
    }

    [Fact]
    public async Task AppendAsync_CancelledWhileQueued_ThrowsAndWritesNothing()
    {
        var (kept, dropped) = (Guid.NewGuid(), Guid.NewGuid());
        using var cancellation = new CancellationTokenSource();
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = AppendAsync(kept, 0, Event());
        var cancelled = _storage.AppendAsync(StreamAppend.Create(_type, dropped, 0, [Event()]), cancellation.Token);

        await cancellation.CancelAsync();

        await cancelled.Awaiting(append => append).Should().ThrowAsync<OperationCanceledException>();
        _storage.QueuedWrites.Should().Be(1);
        _hold.SetResult();
        (await first).Should().BeOfType<AppendOutcome.Appended>();
        _batches.Should().Equal(1);
        (await _storage.GetStreamAsync(_type, dropped, default)).Should().BeNull();
    }

    [Fact]
    public async Task AppendAsync_WritersConnection_SyncsEveryCommit()
    {
        object? synchronous = null;
        _onBatchBegun = connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous;";
            synchronous = command.ExecuteScalar();
        };

        await AppendAsync(Guid.NewGuid(), 0, Event());

        synchronous.Should().Be(2L, "2 is FULL");
    }

    [Fact]
    public async Task RemoveFromOutboxAsync_Alone_CommitsWithoutASyncOfItsOwn()
    {
        var pending = await PendingOutboxAsync();
        var synchronous = RecordSynchronous();

        await RemoveFromOutboxAsync(pending);

        synchronous.Should().Equal([1L], "1 is NORMAL: a lost removal only has its notification published again");
        (await _storage.ReadOutboxAsync(10, default)).Should().BeEmpty();
    }

    [Fact]
    public async Task RemoveFromOutboxAsync_QueuedBeforeAnAppend_TheAppendIsSyncedInABatchOfItsOwn()
    {
        var pending = await PendingOutboxAsync();
        var synchronous = RecordSynchronous();

        var outcomes = await QueuedTogetherAsync(
            () => RemoveFromOutboxAsync(pending),
            () => AppendAsync(Guid.NewGuid(), 0, Event()),
            () => AppendAsync(Guid.NewGuid(), 0, Event()));

        outcomes[0].Should().Be(true);
        outcomes.Skip(1).Should().AllBeOfType<AppendOutcome.Appended>();
        _batches.Should().Equal(1, 2);
        synchronous.Should().Equal([1L, 2L], "the appends wait for a durable commit, FULL (2), of their own");
    }

    [Fact]
    public async Task RemoveFromOutboxAsync_QueuedAfterAnAppend_JoinsItsSyncedBatch()
    {
        var pending = await PendingOutboxAsync();
        var synchronous = RecordSynchronous();

        var outcomes = await QueuedTogetherAsync(
            () => AppendAsync(Guid.NewGuid(), 0, Event()),
            () => RemoveFromOutboxAsync(pending));

        outcomes[0].Should().BeOfType<AppendOutcome.Appended>();
        outcomes[1].Should().Be(true);
        _batches.Should().Equal(2);
        synchronous.Should().Equal([2L]);
    }

    [Fact]
    public async Task Dispose_WritesQueued_WritesThemFirstAndRefusesLaterOnes()
    {
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = new[] { AppendAsync(Guid.NewGuid(), 0, Event()), AppendAsync(Guid.NewGuid(), 0, Event()) };

        var disposing = Task.Run(_storage.Dispose);
        _hold.SetResult();
        await disposing;

        (await Task.WhenAll(queued)).Should().AllBeOfType<AppendOutcome.Appended>();
        _batches.Should().Equal(2);
        await FluentActions.Awaiting(() => AppendAsync(Guid.NewGuid(), 0, Event())).Should().ThrowAsync<ObjectDisposedException>();
        _storage.Dispose();
    }

    /// <summary>Appends an event to a new stream and returns the outbox's pending entries (its one), by sequence.</summary>
    private async Task<long[]> PendingOutboxAsync()
    {
        await AppendAsync(Guid.NewGuid(), 0, Event());
        return [.. (await _storage.ReadOutboxAsync(10, default)).Select(entry => entry.Sequence)];
    }

    private async Task<object> RemoveFromOutboxAsync(long[] sequences)
    {
        await _storage.RemoveFromOutboxAsync(sequences, default);
        return true;
    }

    /// <summary>The <c>synchronous</c> setting of each batch from now on, as its transaction began.</summary>
    private ConcurrentQueue<long> RecordSynchronous()
    {
        var settings = new ConcurrentQueue<long>();
        _onBatchBegun = connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA synchronous;";
            settings.Enqueue((long)command.ExecuteScalar()!);
        };
        return settings;
    }

    /// <summary>
    /// Queues the writes, one after the other, while the writer is held, and lets it go once all are queued: they make
    /// up a batch (within its bounds). Their outcomes, or the exceptions they failed with, in their order.
    /// </summary>
    private async Task<object[]> QueuedTogetherAsync(params Func<Task<object>>[] writes)
    {
        _batches.Clear();
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queued = writes.Select(write => write()).ToList();
        _storage.QueuedWrites.Should().Be(writes.Length);
        _hold.SetResult();
        return await Task.WhenAll(queued.Select(OutcomeOrFaultAsync));
    }

    private static async Task<object> OutcomeOrFaultAsync(Task<object> write)
    {
        try
        {
            return await write;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    private async Task<object> AppendAsync(Guid stream, ExpectedRevision expected, EventToAppend next) =>
        await _storage.AppendAsync(StreamAppend.Create(_type, stream, expected, [next]), default);

    private async Task<object> RemoveAsync(StreamRemoval removal) => await _storage.RemoveAsync(removal, default);

    /// <summary>The outbox rows of this test's stream type, in commit order: stream, revision, change (null for an append).</summary>
    private async Task<List<(Guid Stream, int Revision, string? Change)>> OutboxAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_database.Path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT stream_id, stream_revision, change FROM outbox WHERE stream_type = $type ORDER BY sequence";
        command.Parameters.AddWithValue("$type", _type);
        var rows = new List<(Guid, int, string?)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((Guid.Parse(reader.GetString(0), CultureInfo.InvariantCulture), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return rows;
    }

    private static EventToAppend Event(string payload = "{}") => new(Guid.NewGuid(), "something-happened", payload, null);

    /// <summary>A JSON string of <paramref name="characters"/> characters, quotes included.</summary>
    private static string Payload(int characters) => $"\"{new string('x', characters - 2)}\"";

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource();
        released.SetResult();
        return released;
    }
}
