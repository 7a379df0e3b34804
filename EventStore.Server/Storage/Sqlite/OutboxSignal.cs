using System.Threading.Channels;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// Wakes the relay when an append has committed an outbox entry, so that it publishes at once rather than at its next
/// poll. Signals coalesce (one pending wake-up at most) and <see cref="Notify"/> never waits, so appends are not slowed.
/// </summary>
internal sealed class OutboxSignal
{
    private readonly Channel<bool> _wakeUps = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    public void Notify() => _wakeUps.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout, timeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _wakeUps.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time for the safety-net poll.
        }
    }
}
