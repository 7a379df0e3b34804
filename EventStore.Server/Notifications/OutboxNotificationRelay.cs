using System.Collections.Concurrent;
using ServerlessEventStore.Server.Storage;
using ServerlessEventStore.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Notifications;

/// <summary>
/// Publishes what the embedded store's outbox holds: reads pending entries in commit order, publishes them (a batch
/// concurrently, as notifications are unordered anyway) and removes each only after the publisher accepted it — at least
/// once, and nothing is lost to a crash or restart, since entries stay until published. Woken by each commit, with a slow
/// poll as a safety net. Failures back off exponentially up to a cap and are retried forever; appends never wait for any
/// of this. Idle when the store has no outbox (DynamoDB publishes from its own change stream).
/// </summary>
internal sealed partial class OutboxNotificationRelay(
    IEventStorage storage,
    INotificationPublisher publisher,
    IOptions<NotificationOptions> options,
    ServerTelemetry telemetry,
    ILogger<OutboxNotificationRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (storage is not INotificationOutbox outbox)
        {
            LogNoOutbox(logger, storage.GetType().Name);
            return;
        }

        var settings = options.Value;
        LogStarted(logger, publisher.GetType().Name, settings.BatchSize, settings.PollInterval.TotalSeconds);
        var retryDelay = settings.MinRetryDelay;
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pending = await outbox.ReadOutboxAsync(settings.BatchSize, stoppingToken).ConfigureAwait(false);
                if (pending.Count == 0)
                {
                    await outbox.WaitForOutboxAsync(settings.PollInterval, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                var (published, firstFailure) = await PublishAsync(pending, settings.MaxConcurrentPublishes, stoppingToken).ConfigureAwait(false);
                if (published.Count > 0)
                {
                    await outbox.RemoveFromOutboxAsync(published, stoppingToken).ConfigureAwait(false);
                    LogPublished(logger, published.Count, pending.Count);
                }

                if (firstFailure is null)
                {
                    if (failing)
                    {
                        LogRecovered(logger);
                        failing = false;
                    }

                    retryDelay = settings.MinRetryDelay;
                    continue;
                }

                LogPublishFailed(logger, firstFailure, pending.Count - published.Count, pending.Count, retryDelay.TotalMilliseconds);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The outbox itself failed (e.g. the database is busy): the same back-off, the entries stay where they are.
                LogOutboxFailed(logger, exception, retryDelay.TotalMilliseconds);
            }

            failing = true;
            try
            {
                await Task.Delay(retryDelay, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, settings.MaxRetryDelay.Ticks));
        }
    }

    private async Task<(List<long> Published, Exception? FirstFailure)> PublishAsync(
        IReadOnlyList<OutboxEntry> pending, int concurrency, CancellationToken cancellationToken)
    {
        var published = new ConcurrentBag<long>();
        Exception? firstFailure = null;
        await Parallel.ForEachAsync(
            pending,
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                try
                {
                    await telemetry.PublishAsync(TelemetryTags.OutboxRelay, publisher, entry.Notification, token).ConfigureAwait(false);
                    published.Add(entry.Sequence);
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    // Any failure leaves the entry pending; one logged cause per batch keeps an outage's log readable.
                    Interlocked.CompareExchange(ref firstFailure, exception, null);
                }
            }).ConfigureAwait(false);
        return ([.. published], firstFailure);
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Notification relay started: publishing the outbox through {Publisher}, {BatchSize} at a time, polling every {PollSeconds} s besides commit signals")]
    private static partial void LogStarted(ILogger logger, string publisher, int batchSize, double pollSeconds);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Notification relay idle: the store {Storage} has no outbox")]
    private static partial void LogNoOutbox(ILogger logger, string storage);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Published {Published} of {Pending} pending notifications")]
    private static partial void LogPublished(ILogger logger, int published, int pending);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "{Failed} of {Pending} notifications were not published; they stay pending, retrying in {RetryMilliseconds} ms")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, int failed, int pending, double retryMilliseconds);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Reading or updating the notification outbox failed; retrying in {RetryMilliseconds} ms")]
    private static partial void LogOutboxFailed(ILogger logger, Exception exception, double retryMilliseconds);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "Notifications are being published again")]
    private static partial void LogRecovered(ILogger logger);
}
