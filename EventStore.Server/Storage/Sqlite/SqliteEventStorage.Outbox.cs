using System.Globalization;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// The outbox side of the embedded store: every append writes an outbox row with its events (see
/// <see cref="SqliteSchema"/>), and the commit of its batch wakes the notification relay, which reads the rows in commit
/// order and removes them once published. Removal is a write, so it goes through the same writer as appends, but
/// without a sync of its own (see <see cref="RemoveFromOutboxAsync"/>).
/// </summary>
public sealed partial class SqliteEventStorage : INotificationOutbox
{
    private readonly OutboxSignal _outboxSignal = new();

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken) =>
        ReadAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText =
                "SELECT sequence, stream_id, stream_type, stream_revision, change, truncated_before FROM outbox ORDER BY sequence LIMIT $take";
            command.Parameters.AddWithValue("$take", maxCount);
            var entries = new List<OutboxEntry>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                // A row without a change is an append's; a delete writes 'deleted', a truncation 'truncated' and where it cut.
                var change = reader.IsDBNull(4) ? StreamChange.Appended : new StreamChange(reader.GetString(4));
                int? truncatedBefore = change == StreamChange.Truncated ? reader.GetInt32(5) : null;
                entries.Add(new OutboxEntry(
                    reader.GetInt64(0),
                    new StreamNotification(
                        Guid.Parse(reader.GetString(1), CultureInfo.InvariantCulture), reader.GetString(2), reader.GetInt32(3), change, truncatedBefore)));
            }

            return (IReadOnlyList<OutboxEntry>)entries;
        },
        cancellationToken);

    /// <inheritdoc />
    public Task RemoveFromOutboxAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        return WriteAsync(
            connection =>
            {
                using var transaction = WriteTransaction.Savepoint(connection);
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM outbox WHERE sequence = $sequence";
                var sequence = command.Parameters.Add("$sequence", Microsoft.Data.Sqlite.SqliteType.Integer);
                foreach (var published in sequences)
                {
                    sequence.Value = published;
                    command.ExecuteNonQuery();
                }

                transaction.Commit();
                return true;
            },
            characters: 0,
            cancellationToken,
            // Lost in a power cut, a removal only has its notifications published again (they are at least once); so a
            // removal waits for no sync of its own, and an append is not queued behind one.
            durable: false);
    }

    /// <inheritdoc />
    public Task WaitForOutboxAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        _outboxSignal.WaitAsync(timeout, timeProvider, cancellationToken);
}
