using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Hosting;
using ServerlessEventStore.Server.Storage.DynamoDb;
using ServerlessEventStore.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace ServerlessEventStore.Server.Notifications.DynamoDbStreams;

/// <summary>
/// Publishes the notifications of the DynamoDB store from the table's DynamoDB stream, as the EventBridge Pipe does in
/// AWS: one per stream header written, i.e. per committed append (<see cref="HeaderChange"/>). The position per shard is
/// kept in a checkpoint file (<see cref="NotificationOptions.CheckpointPath"/>), written after the records up to it were
/// published, so a restart neither loses nor repeats what was published; without a file, every shard is read from its
/// oldest record (<c>TRIM_HORIZON</c>), so nothing committed while no relay ran is lost, at the price of repeating up to
/// 24 hours of notifications (at least once allows that; <c>LATEST</c> would silently drop them). Failures back off up
/// to a cap and are retried forever; appends never wait for any of this. Idle unless the store is DynamoDB (the embedded
/// store has its outbox relay).
/// </summary>
internal sealed partial class DynamoDbStreamsNotificationRelay(
    IServiceProvider services,
    IOptions<EventStoreServerOptions> server,
    INotificationPublisher publisher,
    IOptions<NotificationOptions> options,
    ServerTelemetry telemetry,
    ILogger<DynamoDbStreamsNotificationRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!server.Value.IsDynamoDb)
        {
            return;
        }

        if (!options.Value.StreamRelay)
        {
            LogRelayOff(logger);
            return;
        }

        // Resolved only here: in the embedded mode no DynamoDB client is created at all.
        var tableName = services.GetRequiredService<IOptions<DynamoDbStorageOptions>>().Value.TableName!;
        var dynamoDb = services.GetRequiredService<IAmazonDynamoDB>();
        var streams = services.GetRequiredService<IDynamoDbStreams>();
        var settings = options.Value;
        var checkpointFile = new CheckpointFile(settings.CheckpointPath);
        LogStarted(logger, tableName, publisher.GetType().Name, checkpointFile.Path, settings.StreamPollInterval.TotalMilliseconds);

        var retryDelay = settings.MinRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var streamArn = await StreamArnAsync(dynamoDb, tableName, stoppingToken).ConfigureAwait(false);
                var follower = new StreamFollower(
                    streamArn, streams, checkpointFile, publisher, telemetry, settings, logger, () => retryDelay = settings.MinRetryDelay);
                await follower.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // DynamoDB, its stream or the checkpoint file failed: start over from the file after a pause.
                LogFailed(logger, exception, retryDelay.TotalMilliseconds);
            }

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

    private static async Task<string> StreamArnAsync(IAmazonDynamoDB dynamoDb, string tableName, CancellationToken cancellationToken)
    {
        var table = (await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false)).Table;
        var view = table.StreamSpecification is { StreamEnabled: true } specification ? specification.StreamViewType : null;
        if (table.LatestStreamArn is null || (view != StreamViewType.NEW_IMAGE && view != StreamViewType.NEW_AND_OLD_IMAGES))
        {
            throw new InvalidOperationException(
                $"The table {tableName} has no DynamoDB stream with new images (StreamViewType NEW_IMAGE); enable one to have notifications.");
        }

        return table.LatestStreamArn;
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Notification relay started: publishing stream header changes of table {TableName} from its DynamoDB stream through {Publisher}, checkpoint {CheckpointPath}, polling idle shards every {PollMilliseconds} ms")]
    private static partial void LogStarted(ILogger logger, string tableName, string publisher, string checkpointPath, double pollMilliseconds);

    [LoggerMessage(EventId = 133, Level = LogLevel.Warning, Message = "Reading the DynamoDB stream failed; resuming from the checkpoint in {RetryMilliseconds} ms")]
    private static partial void LogFailed(ILogger logger, Exception exception, double retryMilliseconds);

    [LoggerMessage(EventId = 134, Level = LogLevel.Information, Message = "DynamoDB stream relay off (EventStore:Notifications:StreamRelay = false): notifications are published by other means")]
    private static partial void LogRelayOff(ILogger logger);
}
