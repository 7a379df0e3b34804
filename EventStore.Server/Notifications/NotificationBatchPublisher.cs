using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using ServerlessEventStore.Server.Telemetry;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Publishes a batch of notifications for a relay — the embedded store's outbox, the DynamoDB stream — the same way
/// for both: concurrently (notifications are unordered), at most <see cref="NotificationOptions.MaxConcurrentPublishes"/>
/// at once, and the ones that failed again after a back-off (<see cref="RelayRetry"/>) until every one was accepted.
/// After each attempt the relay is told which were accepted (the outbox removes them at once, so a restart during a long
/// outage publishes again only what SNS had not yet accepted); a relay that keeps a position moves it only once the call
/// completes, so a crash republishes rather than loses.
/// </summary>
internal sealed partial class NotificationBatchPublisher
{
    // The batch being published, for the retry's log line: the pipeline is built once, the batches come and go.
    private static readonly ResiliencePropertyKey<BatchProgress> Progress = new("eventstore.notification-batch");

    private readonly INotificationPublisher _publisher;
    private readonly NotificationOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;

    public NotificationBatchPublisher(INotificationPublisher publisher, NotificationOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _publisher = publisher;
        _options = options;
        _logger = logger;
        _retry = RelayRetry.Create(options, timeProvider, (failure, delay, context) =>
        {
            var progress = context.Properties.GetValue(Progress, null!);
            progress.Failing = true;
            LogPublishFailed(logger, failure, progress.Pending, progress.Total, delay.TotalMilliseconds);
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

    /// <summary>Publishes every item's notification; completes once all were accepted.</summary>
    /// <typeparam name="T">What the relay publishes from (an outbox entry, a notification).</typeparam>
    /// <param name="items">The batch.</param>
    /// <param name="notificationOf">The notification of an item.</param>
    /// <param name="onAccepted">Told, after each attempt, the items SNS accepted in it; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops publishing (the relay is stopping).</param>
    /// <returns>A task completing when every notification was accepted.</returns>
    public async Task PublishAllAsync<T>(
        IReadOnlyList<T> items, Func<T, StreamNotification> notificationOf, Func<IReadOnlyList<T>, CancellationToken, Task>? onAccepted, CancellationToken cancellationToken)
    {
        var pending = items;
        var progress = new BatchProgress(items.Count);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Progress, progress);
        try
        {
            await _retry.ExecuteAsync(
                async attempt =>
                {
                    var (accepted, failed, firstFailure) = await PublishConcurrentlyAsync(pending, notificationOf, attempt.CancellationToken);
                    if (accepted.Count > 0 && onAccepted is not null)
                    {
                        await onAccepted(accepted, attempt.CancellationToken);
                    }

                    pending = failed;
                    progress.Pending = failed.Count;
                    if (firstFailure is not null)
                    {
                        throw new NotificationPublishException($"{failed.Count} of {items.Count} notifications were not published.", firstFailure);
                    }
                },
                context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (progress.Failing)
        {
            LogRecovered(_logger);
        }

        LogPublished(_logger, items.Count);
    }

    private async Task<(List<T> Accepted, List<T> Failed, Exception? FirstFailure)> PublishConcurrentlyAsync<T>(
        IReadOnlyList<T> pending, Func<T, StreamNotification> notificationOf, CancellationToken cancellationToken)
    {
        var accepted = new ConcurrentQueue<T>();
        var failed = new ConcurrentQueue<T>();
        Exception? firstFailure = null;
        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentPublishes, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                try
                {
                    await _publisher.PublishAsync(notificationOf(item), token);
                    accepted.Enqueue(item);
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    // Never skipped: it is published again; one logged cause per attempt keeps an outage's log readable.
                    failed.Enqueue(item);
                    Interlocked.CompareExchange(ref firstFailure, exception, null);
                }
            });
        return ([.. accepted], [.. failed], firstFailure);
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Published {Published} notifications")]
    private static partial void LogPublished(ILogger logger, int published);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Failed} of {Total} notifications were not published; they stay pending, retrying in {RetryMilliseconds} ms")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int failed, int total, double retryMilliseconds);

    private sealed class BatchProgress(int total)
    {
        public int Total { get; } = total;

        public int Pending { get; set; } = total;

        public bool Failing { get; set; }
    }

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Notifications are being published again")]
    private static partial void LogRecovered(ILogger logger);
}
