using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Hosting;

/// <summary>
/// Turns for requests with large bodies: at most <see cref="HttpOptions.MaxConcurrentLargeBodies"/> at once, up to
/// <see cref="HttpOptions.MaxQueuedLargeBodies"/> others waiting in arrival order for up to
/// <see cref="HttpOptions.LargeBodyQueueTimeout"/>.
/// </summary>
internal sealed class LargeBodyAdmission : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly int _permits;
    private readonly TimeSpan _queueTimeout;
    private readonly TimeProvider _timeProvider;

    public LargeBodyAdmission(IOptions<HttpOptions> options, TimeProvider timeProvider)
    {
        _permits = options.Value.MaxConcurrentLargeBodies;
        _queueTimeout = options.Value.LargeBodyQueueTimeout;
        _timeProvider = timeProvider;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _permits,
            QueueLimit = options.Value.MaxQueuedLargeBodies,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Requests holding a turn right now.</summary>
    public long InUse => _permits - (_limiter.GetStatistics()?.CurrentAvailablePermits ?? _permits);

    /// <summary>Requests waiting for a turn right now.</summary>
    public long Waiting => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>Waits for a turn.</summary>
    /// <param name="requestAborted">The request's cancellation.</param>
    /// <returns>The turn, to dispose when the request is done; <see langword="null"/> when the queue is full or none came in time.</returns>
    public async ValueTask<RateLimitLease?> AcquireAsync(CancellationToken requestAborted)
    {
        using var timeout = new CancellationTokenSource(_queueTimeout, _timeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, timeout.Token);
        try
        {
            var lease = await _limiter.AcquireAsync(cancellationToken: wait.Token);
            if (lease.IsAcquired)
            {
                return lease;
            }

            lease.Dispose();
            return null;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !requestAborted.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _limiter.Dispose();
}
