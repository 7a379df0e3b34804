using Microsoft.Extensions.Options;
using Polly;
using ServerlessEventStore.Server.Notifications;

namespace ServerlessEventStore.Server.Storage.Sqlite;

/// <summary>
/// Publishes what the embedded store's outbox holds: reads pending entries in commit order, publishes them
/// (<see cref="NotificationBatchPublisher"/>) and removes each once it was accepted — at least once, and nothing is
/// lost to a crash or restart, since entries stay until published. Woken by each commit, with a slow poll
/// as a safety net. Failures of the outbox itself back off like failed publications (<see cref="RelayRetry"/>);
/// appends never wait for any of this.
/// </summary>
internal sealed partial class OutboxNotificationRelay : BackgroundService
{
    private readonly INotificationOutbox _outbox;
    private readonly NotificationBatchPublisher _publisher;
    private readonly NotificationOptions _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _outboxRetry;
    private readonly ILogger _logger;

    public OutboxNotificationRelay(
        INotificationOutbox outbox, NotificationBatchPublisher publisher, IOptions<NotificationOptions> options, TimeProvider timeProvider, ILogger<OutboxNotificationRelay> logger)
    {
        _outbox = outbox;
        _publisher = publisher;
        _settings = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _outboxRetry = RelayRetry.Create(_settings, timeProvider, (failure, delay, _) => LogOutboxFailed(logger, failure, delay.TotalMilliseconds));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(_logger, _settings.BatchSize, _settings.PollInterval.TotalSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var pending = await _outboxRetry.ExecuteAsync(token => new ValueTask<IReadOnlyList<OutboxEntry>>(_outbox.ReadOutboxAsync(_settings.BatchSize, token)), stoppingToken);
                if (pending.Count == 0)
                {
                    await _outbox.WaitForOutboxAsync(_settings.PollInterval, _timeProvider, stoppingToken);
                    continue;
                }

                // What SNS accepted leaves the outbox after each attempt; the rest is published again.
                await _publisher.PublishAllAsync(pending, entry => entry.Notification, RemoveAsync, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping; what is not removed yet is published again next time.
        }
    }

    private Task RemoveAsync(IReadOnlyList<OutboxEntry> published, CancellationToken cancellationToken) =>
        _outboxRetry.ExecuteAsync(
            async token => await _outbox.RemoveFromOutboxAsync([.. published.Select(entry => entry.Sequence)], token), cancellationToken).AsTask();

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Notification relay started: publishing the outbox, {BatchSize} at a time, polling every {PollSeconds} s besides commit signals")]
    private static partial void LogStarted(ILogger logger, int batchSize, double pollSeconds);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Reading or updating the notification outbox failed; retrying in {RetryMilliseconds} ms")]
    private static partial void LogOutboxFailed(ILogger logger, Exception exception, double retryMilliseconds);
}
