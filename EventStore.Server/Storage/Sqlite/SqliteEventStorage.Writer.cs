using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// The writer of the embedded store (group commit). Every write — an append, a delete or truncation, the removal of
/// published outbox rows — is queued, and one writer at a time runs them in the order they were queued, many to a
/// transaction, so that one durable commit (one fsync of the log) serves every write that was waiting. Nothing waits for
/// a batch to fill: a lone write is a batch of one, run on its caller's thread as before there was a queue, and writes
/// that queue while a batch runs make up the next, run on the thread pool.
/// </summary>
public sealed partial class SqliteEventStorage
{
    /// <summary>Most writes in one batch, so that a write queued behind a full batch waits for one batch only.</summary>
    internal const int MaxWritesPerBatch = 128;

    /// <summary>
    /// Most characters of event data (payloads and metadata) in one batch: what a transaction holds in memory and in the
    /// log before it commits. A batch's first write is taken whatever its size.
    /// </summary>
    internal const long MaxCharactersPerBatch = 4 * 1024 * 1024;

    private readonly Channel<Write> _writes = Channel.CreateUnbounded<Write>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteWriterHooks _hooks;

    // The writer's role: whoever holds it runs the batches. Disposal takes it for good.
    private readonly SemaphoreSlim _writer = new(1, 1);
    private int _queuedWrites;
    private int _writesInStore;
    private bool _outboxWritten;

    /// <summary>Writes queued for the writer right now, not yet taken into a batch.</summary>
    internal int QueuedWrites => Volatile.Read(ref _queuedWrites);

    /// <summary>Writes the writer has taken into the batch it runs right now and not yet answered.</summary>
    internal int WritesInStore => Volatile.Read(ref _writesInStore);

    /// <summary>
    /// Queues a write and waits for its answer, given once its batch has committed. A write that is still queued when
    /// <paramref name="cancellationToken"/> is cancelled, or when <see cref="SqliteStorageOptions.BusyTimeout"/> has passed
    /// (<see cref="StorageUnavailableException"/>), leaves the queue and is never run; once the writer has taken it, it
    /// runs and its outcome is reported.
    /// </summary>
    /// <param name="write">The write, run on the writer's connection inside the batch's transaction; it keeps its changes
    /// in a savepoint of its own (<see cref="WriteTransaction.Savepoint"/>), so that its failure undoes them alone.</param>
    /// <param name="characters">Its size in characters of event data, which a batch is bounded by.</param>
    /// <param name="cancellationToken">Cancels the write while it is queued.</param>
    /// <param name="durable">
    /// Whether its commit must be on the disk before it is answered (<c>synchronous=FULL</c>), as an append's must. A
    /// write whose loss in a power cut does no harm (the outbox's removals: what they removed is published again) is
    /// committed without a sync of its own when the batch holds only such writes; the next durable commit syncs it, as
    /// the log is synced in order.
    /// </param>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, long characters, CancellationToken cancellationToken, bool durable = true)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var queued = new Write<T>(write, characters, durable, _timeProvider.GetTimestamp());
        using var timeout = new CancellationTokenSource(_busyTimeout, _timeProvider);
        using var timedOut = timeout.Token.Register(() => Abandon(queued, Busy()));
        using var cancelled = cancellationToken.Register(() => Abandon(queued, new OperationCanceledException(cancellationToken)));
        // Counted once its deadline is set: whoever sees it queued can count on that deadline (an abandonment before this
        // line takes it off the count first, and the count comes back to what it was).
        Interlocked.Increment(ref _queuedWrites);
        if (!_writes.Writer.TryWrite(queued))
        {
            Abandon(queued, new ObjectDisposedException(nameof(SqliteEventStorage)));
        }
        else if (_writer.Wait(0, CancellationToken.None))
        {
            await WriteQueuedAsync(handOff: true);
        }

        return await queued.Completion;
    }

    private void Abandon(Write write, Exception reason)
    {
        if (write.TryAbandon(reason))
        {
            Interlocked.Decrement(ref _queuedWrites);
        }
    }

    /// <summary>
    /// Runs batches, holding the writer's role, until the queue is empty. A caller that took the role
    /// (<paramref name="handOff"/>) runs one batch — its own write's, unless more than a batch was queued before it — and
    /// leaves the rest to the thread pool, so that it is not kept writing for others.
    /// </summary>
    private async Task WriteQueuedAsync(bool handOff)
    {
        while (true)
        {
            if (_hooks.BeforeBatch is { } hold)
            {
                await hold();
            }

            if (TakeNext(long.MaxValue, durableAllowed: true) is { } first)
            {
                WriteBatch(first);
            }

            if (!_writes.Reader.TryPeek(out _))
            {
                _writer.Release();

                // A write queued between the look and the release found the role taken: take it back for that write.
                if (!_writes.Reader.TryPeek(out _) || !_writer.Wait(0, CancellationToken.None))
                {
                    return;
                }
            }
            else if (handOff)
            {
                _ = Task.Run(() => WriteQueuedAsync(handOff: false));
                return;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="first"/> and the writes queued behind it, up to the bounds of a batch, in one transaction
    /// (durable unless <paramref name="first"/> is not: then the batch ends before the first durable write). The
    /// transaction begins before the others are taken, waiting for SQLite's lock at most what is left of the first write's
    /// wait; so a batch holds what queued until the lock was free, and what queues while it runs. A write that throws has
    /// undone its own changes (its savepoint) and is answered at once; the others go on. The rest are answered once the
    /// batch has committed; when anything fails the transaction itself — the commit, or a fault that made SQLite roll it
    /// back — every one of them fails with it, as unavailable: none is acknowledged.
    /// </summary>
    private void WriteBatch(Write first)
    {
        List<Write> batch = [first];
        try
        {
            var left = _busyTimeout - _timeProvider.GetElapsedTime(first.QueuedAt);
            if (left <= TimeSpan.Zero)
            {
                throw Busy();
            }

            using var connection = Open(left);
            using var transaction = WriteTransaction.Begin(connection, first.Durable);
            _hooks.BatchBegun?.Invoke(connection);
            _outboxWritten = false;
            var (write, characters) = (first, 0L);
            while (true)
            {
                characters += write.Characters;
                Run(write, connection);
                if (batch.Count == MaxWritesPerBatch || TakeNext(MaxCharactersPerBatch - characters, durableAllowed: first.Durable) is not { } next)
                {
                    break;
                }

                batch.Add(next);
                write = next;
            }

            transaction.Commit();
        }
        catch (Exception exception)
        {
            foreach (var write in batch)
            {
                write.Fail(Translate(exception));
            }

            Interlocked.Add(ref _writesInStore, -batch.Count);
            return;
        }

        _hooks.Committed?.Invoke(batch.Count);
        if (_outboxWritten)
        {
            _outboxSignal.Notify();
        }

        foreach (var write in batch)
        {
            write.Answer();
        }

        Interlocked.Add(ref _writesInStore, -batch.Count);
    }

    /// <summary>Runs one write of a batch; one that throws is answered with its fault while the transaction goes on.</summary>
    private void Run(Write write, SqliteConnection connection)
    {
        try
        {
            write.Run(connection);
        }
        catch (Exception exception) when (raw.sqlite3_get_autocommit(connection.Handle) == 0)
        {
            // Its savepoint undid its changes; the batch's transaction is intact.
            write.Fail(Translate(exception));
        }
    }

    /// <summary>
    /// The next queued write, taken for the writer; none when the queue is empty, or it is larger than
    /// <paramref name="characters"/>, or durable where <paramref name="durableAllowed"/> is false.
    /// </summary>
    private Write? TakeNext(long characters, bool durableAllowed)
    {
        while (_writes.Reader.TryPeek(out var next))
        {
            if (!next.IsAbandoned && (next.Characters > characters || (next.Durable && !durableAllowed)))
            {
                return null;
            }

            _writes.Reader.TryRead(out _);
            if (next.TryStart())
            {
                Interlocked.Decrement(ref _queuedWrites);
                Interlocked.Increment(ref _writesInStore);
                return next;
            }
        }

        return null;
    }

    /// <summary>A queued write: queued, then either taken by the writer (and run) or abandoned by its caller (never run).</summary>
    private abstract class Write(long characters, bool durable, long queuedAt)
    {
        private const int Queued = 0;
        private const int Started = 1;
        private const int Abandoned = 2;
        private int _state;

        /// <summary>Its size in characters of event data.</summary>
        public long Characters => characters;

        /// <summary>Whether its commit must be synced to the disk before it is answered.</summary>
        public bool Durable => durable;

        /// <summary>When it was queued (a timestamp of the store's <see cref="TimeProvider"/>).</summary>
        public long QueuedAt => queuedAt;

        public bool IsAbandoned => Volatile.Read(ref _state) == Abandoned;

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

        /// <summary>Takes it out of the queue with <paramref name="reason"/> as its answer, unless the writer has taken it.</summary>
        public bool TryAbandon(Exception reason)
        {
            if (Interlocked.CompareExchange(ref _state, Abandoned, Queued) != Queued)
            {
                return false;
            }

            Fail(reason);
            return true;
        }

        public abstract void Run(SqliteConnection connection);

        /// <summary>Answers with what <see cref="Run"/> returned, unless it failed.</summary>
        public abstract void Answer();

        public abstract void Fail(Exception exception);
    }

    private sealed class Write<T>(Func<SqliteConnection, T> write, long characters, bool durable, long queuedAt) : Write(characters, durable, queuedAt)
    {
        // Answers are given on the writer: the callers go on elsewhere, not on the writer's thread.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Completion => _completion.Task;

        public override void Run(SqliteConnection connection) => _result = write(connection);

        public override void Answer() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}
