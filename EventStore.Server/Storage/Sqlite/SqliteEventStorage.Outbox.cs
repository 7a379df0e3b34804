using System.Globalization;
using EventStore.Server.Notifications;
using EventStore.Types;

namespace EventStore.Server.Storage.Sqlite;

/// <summary>
/// The outbox side of the embedded store: every append writes an outbox row in its own transaction (see
/// <see cref="SqliteSchema"/>); the notification relay reads the rows in commit order and removes them once published.
/// Removal is a write, so it queues on the same gate as appends instead of blocking a thread in SQLite's busy handler.
/// </summary>
public sealed partial class SqliteEventStorage : INotificationOutbox
{
    private readonly OutboxSignal _outboxSignal = new();

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT sequence, stream_id, stream_type, stream_revision FROM outbox ORDER BY sequence LIMIT $take";
            command.Parameters.AddWithValue("$take", maxCount);
            var entries = new List<OutboxEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new OutboxEntry(
                    reader.GetInt64(0),
                    new StreamNotification(Guid.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2), reader.GetInt32(3))));
            }

            return (IReadOnlyList<OutboxEntry>)entries;
        });

    /// <inheritdoc />
    public Task RemoveFromOutboxAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        return RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await _writeGate.WaitAsync(cancellationToken);
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM outbox WHERE sequence = $sequence";
                var sequence = command.Parameters.Add("$sequence", Microsoft.Data.Sqlite.SqliteType.Integer);
                foreach (var published in sequences)
                {
                    sequence.Value = published;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
                return true;
            }
            finally
            {
                _writeGate.Release();
            }
        });
    }

    /// <inheritdoc />
    public Task WaitForOutboxAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _outboxSignal.WaitAsync(timeout, cancellationToken);
}
