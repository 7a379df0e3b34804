using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using ServerlessEventStore.Server.Telemetry;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Publishes a batch of notifications for a relay — the embedded store's outbox, the DynamoDB stream — the same way
/// for both: concurrently (notifications are unordered), at most <see cref="NotificationOptions.MaxConcurrentPublishes"/>
/// at once, and the ones that failed again after a back-off (<see cref="RelayRetry"/>) until every one was accepted. The
/// relay moves its position only after that, so a crash republishes rather than loses.
/// </summary>
internal sealed partial class NotificationBatchPublisher
{
    private readonly INotificationPublisher _publisher;
    private readonly int _concurrency;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private int _pending;
    private int _total;
    private bool _failing;

    public NotificationBatchPublisher(INotificationPublisher publisher, NotificationOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _publisher = publisher;
        _concurrency = options.MaxConcurrentPublishes;
        _logger = logger;
        _retry = RelayRetry.Create(options, timeProvider, (failure, delay) =>
        {
            _failing = true;
            LogPublishFailed(_logger, failure, _pending, _total, delay.TotalMilliseconds);
        });
    }

    /// <summary>The batch publisher of <paramref name="relay"/>: the configured publisher, counted under the relay's name.</summary>
    /// <param name="services">The server's services.</param>
    /// <param name="relay">The relay's name in telemetry.</param>
    /// <returns>The publisher.</returns>
    public static NotificationBatchPublisher ForRelay(IServiceProvider services, string relay) => new(
        new InstrumentedNotificationPublisher(services.GetRequiredService<INotificationPublisher>(), relay, services.GetRequiredService<ServerTelemetry>()),
        services.GetRequiredService<IOptions<NotificationOptions>>().Value,
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<ILogger<NotificationBatchPublisher>>());

    /// <summary>Publishes every notification of <paramref name="notifications"/>; completes once all were accepted.</summary>
    /// <param name="notifications">The batch.</param>
    /// <param name="cancellationToken">Stops publishing (the relay is stopping).</param>
    /// <returns>A task completing when every notification was accepted.</returns>
    public async Task PublishAllAsync(IReadOnlyList<StreamNotification> notifications, CancellationToken cancellationToken)
    {
        var pending = notifications;
        _total = notifications.Count;
        await _retry.ExecuteAsync(
            async token =>
            {
                var (failed, firstFailure) = await PublishConcurrentlyAsync(pending, token);
                if (firstFailure is not null)
                {
                    pending = failed;
                    _pending = failed.Count;
                    throw new NotificationPublishException($"{failed.Count} of {_total} notifications were not published.", firstFailure);
                }
            },
            cancellationToken);
        if (_failing)
        {
            _failing = false;
            LogRecovered(_logger);
        }

        LogPublished(_logger, notifications.Count);
    }

    private async Task<(List<StreamNotification> Failed, Exception? FirstFailure)> PublishConcurrentlyAsync(
        IReadOnlyList<StreamNotification> pending, CancellationToken cancellationToken)
    {
        var failed = new ConcurrentBag<StreamNotification>();
        Exception? firstFailure = null;
        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken },
            async (notification, token) =>
            {
                try
                {
                    await _publisher.PublishAsync(notification, token);
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    // Never skipped: it is published again; one logged cause per attempt keeps an outage's log readable.
                    failed.Add(notification);
                    Interlocked.CompareExchange(ref firstFailure, exception, null);
                }
            });
        return ([.. failed], firstFailure);
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Published {Published} notifications")]
    private static partial void LogPublished(ILogger logger, int published);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Failed} of {Total} notifications were not published; they stay pending, retrying in {RetryMilliseconds} ms")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int failed, int total, double retryMilliseconds);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Notifications are being published again")]
    private static partial void LogRecovered(ILogger logger);
}
