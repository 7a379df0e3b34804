using System.Threading.Channels;

namespace ServerlessEventStore.Server.Notifications;

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

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _wakeUps.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time for the safety-net poll.
        }
    }
}
