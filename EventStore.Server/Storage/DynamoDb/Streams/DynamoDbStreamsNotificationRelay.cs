using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Options;
using Polly;
using ServerlessEventStore.Server.Notifications;

namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>
/// Publishes the notifications of the DynamoDB store from the table's DynamoDB stream, as the EventBridge Pipe does in
/// AWS: one per stream header written, i.e. per committed append, delete or truncation (<see cref="HeaderChange"/>). The position per shard is
/// kept in a checkpoint file (<see cref="NotificationOptions.CheckpointPath"/>, by default per table and endpoint in the
/// user's local application data), written after the records up to it were published, so a restart neither loses nor repeats what was published; without a file, every shard is read from its
/// oldest record (<c>TRIM_HORIZON</c>), so nothing committed while no relay ran is lost, at the price of repeating up to
/// 24 hours of notifications (at least once allows that; <c>LATEST</c> would silently drop them). Failures back off up
/// to a cap and are retried forever (<see cref="RelayRetry"/>); appends never wait for any of this. Registered by the
/// DynamoDB store's module when <see cref="NotificationOptions.StreamRelay"/> is on.
/// </summary>
internal sealed partial class DynamoDbStreamsNotificationRelay : BackgroundService
{
    private readonly IAmazonDynamoDB _dynamoDb;
    private readonly IDynamoDbStreams _streams;
    private readonly string _tableName;
    private readonly NotificationBatchPublisher _publisher;
    private readonly NotificationOptions _settings;
    private readonly DynamoDbStorageOptions _storage;
    private readonly TimeProvider _timeProvider;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;

    public DynamoDbStreamsNotificationRelay(
        IAmazonDynamoDB dynamoDb,
        IDynamoDbStreams streams,
        IOptions<DynamoDbStorageOptions> storage,
        NotificationBatchPublisher publisher,
        IOptions<NotificationOptions> options,
        TimeProvider timeProvider,
        ILogger<DynamoDbStreamsNotificationRelay> logger)
    {
        _dynamoDb = dynamoDb;
        _streams = streams;
        _tableName = storage.Value.TableName!;
        _storage = storage.Value;
        _publisher = publisher;
        _settings = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _retry = RelayRetry.Create(_settings, timeProvider, (failure, delay, _) => LogFailed(logger, failure, delay.TotalMilliseconds));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var checkpointFile = new CheckpointFile(_settings.CheckpointPathFor(_tableName, _storage.ServiceUrl, DynamoDbClientFactory.Region(_storage)));
        LogStarted(_logger, _tableName, checkpointFile.Path, _settings.StreamPollInterval.TotalMilliseconds);
        try
        {
            // A pass ends only when a call fails (DynamoDB, its stream, the checkpoint file): start over from the file,
            // after a back-off that grows while passes fail at once, and starts afresh after one that got somewhere.
            while (!stoppingToken.IsCancellationRequested)
            {
                await _retry.ExecuteAsync(PassAsync, checkpointFile, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the checkpoint file says where to resume.
        }
    }

    private async ValueTask PassAsync(CheckpointFile checkpointFile, CancellationToken cancellationToken)
    {
        var follower = new StreamFollower(await StreamArnAsync(_dynamoDb, _tableName, cancellationToken), _streams, checkpointFile, _publisher, _settings, _timeProvider, _logger);
        try
        {
            await follower.RunAsync(cancellationToken);
        }
        catch (Exception exception) when (follower.MadeProgress && !cancellationToken.IsCancellationRequested)
        {
            // Got somewhere before failing: the back-off starts afresh, from its first delay.
            LogFailed(_logger, exception, _settings.MinRetryDelay.TotalMilliseconds);
            await Task.Delay(_settings.MinRetryDelay, _timeProvider, cancellationToken);
        }
    }

    private static async Task<string> StreamArnAsync(IAmazonDynamoDB dynamoDb, string tableName, CancellationToken cancellationToken)
    {
        var table = (await dynamoDb.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken)).Table;
        var view = table.StreamSpecification is { StreamEnabled: true } specification ? specification.StreamViewType : null;
        if (table.LatestStreamArn is null || (view != StreamViewType.NEW_IMAGE && view != StreamViewType.NEW_AND_OLD_IMAGES))
        {
            throw new InvalidOperationException(
                $"The table {tableName} has no DynamoDB stream with new images (StreamViewType NEW_IMAGE); enable one to have notifications.");
        }

        return table.LatestStreamArn;
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Notification relay started: publishing stream header changes of table {TableName} from its DynamoDB stream, checkpoint {CheckpointPath}, polling idle shards every {PollMilliseconds} ms")]
    private static partial void LogStarted(ILogger logger, string tableName, string checkpointPath, double pollMilliseconds);

    [LoggerMessage(EventId = 133, Level = LogLevel.Warning, Message = "Reading the DynamoDB stream failed; resuming from the checkpoint in {RetryMilliseconds} ms")]
    private static partial void LogFailed(ILogger logger, Exception exception, double retryMilliseconds);
}
