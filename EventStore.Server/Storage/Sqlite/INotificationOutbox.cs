namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// A store that writes a notification row in the same transaction as every committed append (the transactional outbox).
/// The relay reads the rows in order, publishes them and removes them only once published, so none is lost to a crash
/// between commit and publish.
/// </summary>
public interface INotificationOutbox
{
    /// <summary>Reads the oldest pending notifications, in commit order.</summary>
    /// <param name="maxCount">Most entries to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> entries; empty when nothing is pending.</returns>
    Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken);

    /// <summary>Removes published notifications from the outbox.</summary>
    /// <param name="sequences">Sequences of the published entries.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task completing when they are removed.</returns>
    Task RemoveFromOutboxAsync(IReadOnlyCollection<long> sequences, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until an append in this process has committed a new entry, or <paramref name="timeout"/> has passed
    /// (entries written by another process are found that way).
    /// </summary>
    /// <param name="timeout">Longest wait.</param>
    /// <param name="timeProvider">The clock of the timeout.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task completing on a commit or after the timeout.</returns>
    Task WaitForOutboxAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken);
}
