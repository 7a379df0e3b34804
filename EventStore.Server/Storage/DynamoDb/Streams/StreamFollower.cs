using System.Text.Json;
using ServerlessEventStore.Server.Notifications;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>
/// Follows one DynamoDB stream until cancelled or a call fails: reads every shard whose parent is done (a parent's
/// records are older than its children's), publishes the notifications of each page of records, and only then moves the
/// shard's checkpoint past that page, so that a crash republishes rather than loses. Shards the checkpoint does not know
/// start at <c>TRIM_HORIZON</c>; a closed shard read to its end is marked finished and its children looked up. An
/// expired iterator is opened again from the checkpoint; a position older than the stream keeps (24 hours) is logged and
/// read from <c>TRIM_HORIZON</c>. Any other failure ends the pass: the relay backs off and starts a new one from the file.
/// </summary>
internal sealed partial class StreamFollower(
    string streamArn,
    IDynamoDbStreams streams,
    CheckpointFile checkpointFile,
    NotificationBatchPublisher publisher,
    NotificationOptions settings,
    TimeProvider timeProvider,
    ILogger logger)
{
    // Shards change rarely (a split, or a roll-over every few hours, both of which close a shard we are reading); the
    // periodic look-up is a safety net within DescribeStream's limit of 10 calls a second.
    private static readonly TimeSpan RediscoveryInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, string> _iterators = new(StringComparer.Ordinal);
    private StreamCheckpoint _checkpoint = StreamCheckpoint.Empty(streamArn);
    private IReadOnlyList<StreamShard> _shards = [];
    private long _discoveredAt;
    private bool _rediscover = true;

    /// <summary>Whether this pass has read records from the stream.</summary>
    public bool MadeProgress { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _checkpoint = LoadCheckpoint();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ready = ReadyShards();
            if (_rediscover || ready.Count == 0 || timeProvider.GetElapsedTime(_discoveredAt) > RediscoveryInterval)
            {
                await DiscoverAsync(cancellationToken);
                ready = ReadyShards();
            }

            var busy = false;
            foreach (var shard in ready)
            {
                busy |= await ReadShardAsync(shard, cancellationToken);
            }

            if (!busy)
            {
                await Task.Delay(settings.StreamPollInterval, timeProvider, cancellationToken);
            }
        }
    }

    private StreamCheckpoint LoadCheckpoint()
    {
        StreamCheckpoint? stored;
        try
        {
            stored = checkpointFile.Load();
        }
        catch (JsonException exception)
        {
            LogUnreadableCheckpoint(logger, exception, checkpointFile.Path);
            stored = null;
        }

        if (stored is null)
        {
            LogNoCheckpoint(logger, checkpointFile.Path, streamArn);
            return StreamCheckpoint.Empty(streamArn);
        }

        if (stored.StreamArn != streamArn)
        {
            LogOtherStream(logger, checkpointFile.Path, stored.StreamArn, streamArn);
            return StreamCheckpoint.Empty(streamArn);
        }

        LogResuming(logger, checkpointFile.Path, stored.Shards.Count, streamArn);
        return stored;
    }

    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        _shards = await streams.ListShardsAsync(streamArn, cancellationToken);
        _checkpoint = _checkpoint.Retain(_shards.Select(shard => shard.ShardId));
        foreach (var gone in _iterators.Keys.Where(id => _shards.All(shard => shard.ShardId != id)).ToList())
        {
            _iterators.Remove(gone);
        }

        _rediscover = false;
        _discoveredAt = timeProvider.GetTimestamp();
        var open = _shards.Count(shard => shard.EndingSequenceNumber is null);
        LogShards(logger, _shards.Count, open, streamArn);
    }

    private List<StreamShard> ReadyShards()
    {
        var known = _shards.Select(shard => shard.ShardId).ToHashSet(StringComparer.Ordinal);
        return _shards.Where(shard =>
                !_checkpoint.ProgressOf(shard.ShardId).Finished
                && (shard.ParentShardId is not { } parent || !known.Contains(parent) || _checkpoint.ProgressOf(parent).Finished))
            .ToList();
    }

    /// <summary>Reads one page of the shard and publishes it; whether there was anything to do (so no pause before the next).</summary>
    private async Task<bool> ReadShardAsync(StreamShard shard, CancellationToken cancellationToken)
    {
        var progress = _checkpoint.ProgressOf(shard.ShardId);
        if (!_iterators.TryGetValue(shard.ShardId, out var iterator))
        {
            iterator = await OpenAsync(shard.ShardId, progress.After, cancellationToken);
        }

        ChangeRecordPage page;
        try
        {
            page = await streams.GetRecordsAsync(iterator, settings.BatchSize, cancellationToken);
        }
        catch (DynamoDbStreamsException exception) when (exception.ErrorCode == DynamoDbStreamsException.ExpiredIterator)
        {
            // Iterators live 15 minutes (e.g. while SNS was down); the checkpoint says where to pick up.
            LogIteratorExpired(logger, shard.ShardId, progress.After);
            _iterators.Remove(shard.ShardId);
            return true;
        }
        catch (DynamoDbStreamsException exception) when (exception.ErrorCode == DynamoDbStreamsException.TrimmedDataAccess)
        {
            LogTrimmed(logger, shard.ShardId, progress.After);
            _iterators[shard.ShardId] = await streams.GetShardIteratorAsync(streamArn, shard.ShardId, null, cancellationToken);
            return true;
        }

        MadeProgress = true;
        if (page.Records.Count > 0)
        {
            await PublishAsync(shard.ShardId, page.Records, cancellationToken);
            progress = progress with { After = page.Records[^1].SequenceNumber };
            Save(shard.ShardId, progress);
        }

        if (page.NextShardIterator is null)
        {
            _iterators.Remove(shard.ShardId);
            Save(shard.ShardId, progress with { Finished = true });
            _rediscover = true;
            LogShardFinished(logger, shard.ShardId);
            return true;
        }

        _iterators[shard.ShardId] = page.NextShardIterator;
        return page.Records.Count > 0;
    }

    private async Task<string> OpenAsync(string shardId, string? after, CancellationToken cancellationToken)
    {
        if (after is null)
        {
            return await streams.GetShardIteratorAsync(streamArn, shardId, null, cancellationToken);
        }

        try
        {
            return await streams.GetShardIteratorAsync(streamArn, shardId, after, cancellationToken);
        }
        catch (DynamoDbStreamsException exception) when (exception.ErrorCode == DynamoDbStreamsException.TrimmedDataAccess)
        {
            LogTrimmed(logger, shardId, after);
            return await streams.GetShardIteratorAsync(streamArn, shardId, null, cancellationToken);
        }
    }

    /// <summary>Publishes every notification of the page; completes once all were accepted (the checkpoint waits for them).</summary>
    private async Task PublishAsync(string shardId, IReadOnlyList<ChangeRecord> records, CancellationToken cancellationToken)
    {
        var notifications = new List<StreamNotification>();
        foreach (var record in records)
        {
            switch (HeaderChange.Classify(record, out var notification))
            {
                case HeaderChangeKind.Notification:
                    notifications.Add(notification!);
                    break;
                case HeaderChangeKind.Malformed:
                    LogMalformedHeader(logger, shardId, record.SequenceNumber);
                    break;
            }
        }

        await publisher.PublishAllAsync(notifications, notification => notification, onAccepted: null, cancellationToken);
    }

    private void Save(string shardId, ShardProgress progress)
    {
        _checkpoint = _checkpoint.With(shardId, progress);
        checkpointFile.Save(_checkpoint);
    }

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "No notification checkpoint at {CheckpointPath}: reading every shard of {StreamArn} from its oldest record (TRIM_HORIZON), so appends made while no relay ran are notified (notifications of up to 24 hours may repeat)")]
    private static partial void LogNoCheckpoint(ILogger logger, string checkpointPath, string streamArn);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "The notification checkpoint at {CheckpointPath} is of stream {StoredStreamArn}, not of the table's stream {StreamArn} (re-created?): reading every shard from its oldest record")]
    private static partial void LogOtherStream(ILogger logger, string checkpointPath, string storedStreamArn, string streamArn);

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "Resuming notifications from the checkpoint at {CheckpointPath} ({ShardCount} shards) of {StreamArn}")]
    private static partial void LogResuming(ILogger logger, string checkpointPath, int shardCount, string streamArn);

    [LoggerMessage(EventId = 124, Level = LogLevel.Warning, Message = "The notification checkpoint at {CheckpointPath} is unreadable; reading every shard from its oldest record")]
    private static partial void LogUnreadableCheckpoint(ILogger logger, Exception exception, string checkpointPath);

    [LoggerMessage(EventId = 125, Level = LogLevel.Debug, Message = "{ShardCount} shards ({OpenCount} open) in {StreamArn}")]
    private static partial void LogShards(ILogger logger, int shardCount, int openCount, string streamArn);

    [LoggerMessage(EventId = 126, Level = LogLevel.Information, Message = "Shard {ShardId} is closed and fully published; following its children")]
    private static partial void LogShardFinished(ILogger logger, string shardId);

    [LoggerMessage(EventId = 127, Level = LogLevel.Information, Message = "The iterator of shard {ShardId} expired; reopening it after {SequenceNumber}")]
    private static partial void LogIteratorExpired(ILogger logger, string shardId, string? sequenceNumber);

    [LoggerMessage(EventId = 128, Level = LogLevel.Error, Message = "Records of shard {ShardId} after {SequenceNumber} were trimmed (older than 24 hours) before they were published: their notifications are lost; continuing from the oldest record kept (TRIM_HORIZON)")]
    private static partial void LogTrimmed(ILogger logger, string shardId, string? sequenceNumber);

    [LoggerMessage(EventId = 129, Level = LogLevel.Warning, Message = "Passing over a stream header without a valid PK, StreamType or StreamRevision in shard {ShardId} at {SequenceNumber}")]
    private static partial void LogMalformedHeader(ILogger logger, string shardId, string sequenceNumber);
}
