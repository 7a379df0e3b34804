using System.Security.Cryptography;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Telemetry;
using ServerlessEventStore.Types;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// The store on DynamoDB, in the original service's table layout (<see cref="TableLayout"/>). An append is one
/// <c>TransactWriteItems</c> that updates the stream header on the expected revision and puts each event only where none
/// is; when it is rejected, the header's old image (returned with the rejection) tells a missing stream, a wrong type and
/// a moved-on revision apart, and only a moved-on revision that could be a repeat costs a read, to compare event ids.
/// A page of events is one strongly consistent query, a page of streams one query of the index <c>StreamIndex</c>, a page
/// of a stream type's events one query of the index <c>TypeIndex</c>.
/// </summary>
public sealed partial class DynamoDbEventStorage : IEventStorage
{
    // DynamoDB's limits: an item, and all items of one transaction.
    private const long MaxTransactionBytes = 4 * 1024 * 1024;
    private const string ConditionalCheckFailed = "ConditionalCheckFailed";
    private const string NoItemHere = "attribute_not_exists(PK)";
    private const int MaxActiveChecks = 240;

    // How often an append at the end re-anchors on a header that moved, within one attempt, before it counts as a race.
    private const int MaxAnchorings = 32;

    // Items a delete or truncation removes in one call (40 batches of 25), and how often a batch's unprocessed items are sent again.
    private const int MaxItemsRemovedPerCall = 1000;
    private const int MaxBatchResends = 8;
    private static readonly TimeSpan ActiveCheckInterval = TimeSpan.FromMilliseconds(500);

    private readonly IAmazonDynamoDB _client;
    private readonly string _tableName;
    private readonly bool _createTable;
    private readonly TimeProvider _timeProvider;
    private readonly PendingAppends _pendingAppends;
    private readonly DynamoDbRetries _retries;
    private readonly ILogger _logger;

    /// <summary>Creates the store on the table named by <paramref name="options"/>.</summary>
    /// <param name="client">The DynamoDB client.</param>
    /// <param name="options">The table and whether to create it.</param>
    /// <param name="retries">How requests are retried.</param>
    /// <param name="timeProvider">Clock for the events' and streams' timestamps.</param>
    /// <param name="logger">Log of table creation.</param>
    internal DynamoDbEventStorage(IAmazonDynamoDB client, IOptions<DynamoDbStorageOptions> options, DynamoDbRetries retries, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var settings = options.Value;
        _client = client;
        _tableName = !string.IsNullOrEmpty(settings.TableName)
            ? settings.TableName
            : throw new ArgumentException("The DynamoDB store needs a table name.", nameof(options));
        _createTable = settings.CreateTable;
        _pendingAppends = new PendingAppends(timeProvider, settings.SettleWindow);
        _timeProvider = timeProvider;
        _logger = logger;
        _retries = retries;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Creates the table (with its index and stream) when <see cref="DynamoDbStorageOptions.CreateTable"/> is set and it
    /// is missing; otherwise does nothing: in AWS the infrastructure owns the table, and a start-up needs no round trip.
    /// </remarks>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        _createTable ? _retries.ExecuteAsync(TelemetryTags.CreateTable, CreateTableIfMissingAsync, cancellationToken) : Task.CompletedTask;

    /// <inheritdoc />
    public async Task<AppendOutcome> AppendAsync(StreamAppend append, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(append);
        var now = _timeProvider.GetUtcNow();
        // Noted with its first stamp, which no later one precedes, until it has settled.
        var pending = _pendingAppends.Stamped(now);
        try
        {
            return append.IsAtTheEnd
                ? await _retries.ExecuteAsync(TelemetryTags.Append, attempt => AppendAtTheEndAsync(append, attempt), cancellationToken)
                : await AppendStampedAsync(append, now, cancellationToken);
        }
        finally
        {
            _pendingAppends.Returned(pending);
        }
    }

    private async Task<AppendOutcome> AppendStampedAsync(StreamAppend append, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            // One request for every attempt: a retry after a lost response is then the same transaction with the same
            // token, which DynamoDB answers with success without writing again.
            var request = AppendRequest(append, StreamItems.FormatTime(now));
            var appended = AppendDecision.Appended(append, now);
            try
            {
                return await _retries.ExecuteAsync(TelemetryTags.Append, attempt => TransactAsync(request, append, appended, attempt), cancellationToken);
            }
            catch (StreamTimeAheadException ahead)
            {
                // The stream's last append is stamped at or after this clock's now (another writer's clock runs ahead):
                // stamp this one just after it, so that a stream's events keep their revision order in TypeIndex.
                now = ahead.UpdatedAt.AddTicks(1);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The header (with <c>LastChange</c> for the notification) and the state item change in one transaction, on the
    /// header as read; then the events go in batches of 25 (<c>BatchWriteItem</c>), at most
    /// <see cref="MaxItemsRemovedPerCall"/> per call, so that a call ends in bounded time and a repeat goes on.
    /// </remarks>
    public Task<RemovalOutcome> RemoveAsync(StreamRemoval removal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removal);
        return _retries.ExecuteAsync(removal.Mode is null ? TelemetryTags.Truncate : TelemetryTags.Delete, attempt => RemoveOnceAsync(removal, attempt), cancellationToken);
    }

    /// <inheritdoc />
    public Task<StreamDetails?> GetStreamAsync(string streamType, Guid streamId, CancellationToken cancellationToken) =>
        _retries.ExecuteAsync(
            TelemetryTags.ReadDetails,
            async attempt => StreamHeader.ForRead(await ReadHeaderAsync(streamId, attempt), streamType)?.ToDetails(streamId),
            cancellationToken);

    /// <inheritdoc />
    public Task<EventPage?> GetEventsAsync(EventRead read, CancellationToken cancellationToken) =>
        _retries.ExecuteAsync(TelemetryTags.ReadEvents, attempt => ReadEventsAsync(read, attempt), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One query of <c>TypeIndex</c>, in (time, stream id, revision) order, up to the high-water mark: this server's now
    /// less <see cref="DynamoDbStorageOptions.SettleWindow"/>, and before every append of this server that has not settled
    /// (<see cref="PendingAppends"/>). The index is read eventually consistent (DynamoDB's only kind for a global index);
    /// the settle window is what makes its lag safe.
    /// </remarks>
    public Task<StreamTypeEventPage> GetStreamTypeEventsAsync(string streamType, EventCheckpoint after, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(after);
        return _retries.ExecuteAsync(TelemetryTags.ReadTypeEvents, attempt => ReadStreamTypeEventsAsync(streamType, after, limit, attempt), cancellationToken);
    }

    /// <inheritdoc />
    public Task<StreamPage> GetStreamsAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken) =>
        _retries.ExecuteAsync(TelemetryTags.ReadStreams, attempt => ReadStreamsAsync(streamType, updatedAfter, after, limit, attempt), cancellationToken);

    private TransactWriteItemsRequest AppendRequest(StreamAppend append, string now)
    {
        var header = StreamItems.Header(append, now);
        var events = Enumerable.Range(0, append.Events.Count).Select(i => StreamItems.Event(append, i, now)).ToList();
        CheckSizes(header, events);

        var items = new List<TransactWriteItem>(events.Count + 2) { HeaderWrite(append, header, now) };
        items.AddRange(events.Select(item => new TransactWriteItem
        {
            Put = new Put { TableName = _tableName, Item = item, ConditionExpression = NoItemHere },
        }));
        if (append.IsAtTheEnd)
        {
            // After the events (at a place of its own, which its rejection's reason takes): a rejection, with the record as
            // stored, says that an append with this first event id is stored.
            items.Add(new TransactWriteItem
            {
                Put = new Put
                {
                    TableName = _tableName,
                    Item = StreamItems.AppendRecord(append),
                    ConditionExpression = NoItemHere,
                    ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                },
            });
        }

        AddStreamTypeWrite(append, items);
        return new TransactWriteItemsRequest { TransactItems = items, ClientRequestToken = ClientRequestToken(append) };
    }

    private TransactWriteItem HeaderWrite(StreamAppend append, Dictionary<string, AttributeValue> header, string now)
    {
        // The header goes first: the rejection's first reason, with the header's old image, decides the outcome.
        if (append.ExpectedRevision == 0)
        {
            return new TransactWriteItem
            {
                Put = new Put
                {
                    TableName = _tableName,
                    Item = header,
                    ConditionExpression = NoItemHere,
                    ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
                },
            };
        }

        return new TransactWriteItem
        {
            Update = new Update
            {
                TableName = _tableName,
                Key = StreamItems.Key(append.StreamId, TableLayout.HeaderSortKey),
                // LastChange marks a delete or truncation for the notification pipe; an append is none.
                UpdateExpression = "SET StreamRevision = :last, UpdatedAt = :now REMOVE LastChange",
                // A stream's times increase with its revisions (the order of TypeIndex). A header the original service
                // wrote has times of another width, which don't compare as strings: its stream's events are not in
                // TypeIndex, so the first append after it needs no order.
                ConditionExpression = "StreamRevision = :expected AND StreamType = :type AND attribute_not_exists(Deleted) AND (UpdatedAt < :now OR size(UpdatedAt) <> :width)",
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":last"] = StreamItems.Number(append.LastRevision),
                    [":now"] = StreamItems.String(now),
                    [":expected"] = StreamItems.Number(append.ExpectedRevision),
                    [":type"] = StreamItems.String(append.StreamType),
                    [":width"] = StreamItems.Number(now.Length),
                },
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            },
        };
    }

    private static void CheckSizes(Dictionary<string, AttributeValue> header, List<Dictionary<string, AttributeValue>> events)
    {
        // The API's limits keep every append far below this (and every event below an item's 400 KB: EventStoreLimits);
        // this guards against a limit changed without the other.
        var total = events.Sum(StreamItems.SizeOf) + StreamItems.SizeOf(header);
        if (total > MaxTransactionBytes)
        {
            throw new StorageLimitExceededException($"The append needs {total} bytes; a DynamoDB transaction holds at most {MaxTransactionBytes}.");
        }
    }

    /// <summary>
    /// The append's client request token. When every event has an id it is derived from them, so that a repeat of the
    /// append carries the same token; otherwise it is new for this call, which still makes this call's own retries safe.
    /// </summary>
    private string ClientRequestToken(StreamAppend append)
    {
        // An append at the end is recognised by its record, not its token: the same events anchored at the same revision
        // by a later call (after this one was rejected) must not meet this call's token.
        if (append.IsAtTheEnd || append.Events.Any(e => e.EventId is null))
        {
            return Guid.NewGuid().ToString("D");
        }

        // Tokens are unique per account and region, not per table: the table is part of the append's identity.
        var identity = string.Join('|', [_tableName, append.StreamType, StreamItems.StreamKey(append.StreamId), append.FirstRevision.ToString(System.Globalization.CultureInfo.InvariantCulture), .. append.Events.Select(e => e.EventId!.Value.ToString("N"))]);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(identity)), 0, 18);
    }

    private async Task<AppendOutcome> TransactAsync(TransactWriteItemsRequest request, StreamAppend append, AppendOutcome.Appended appended, CancellationToken cancellationToken)
    {
        try
        {
            await TransactWriteAsync(request, append, cancellationToken);
            return appended;
        }
        catch (TransactionCanceledException canceled) when (!DynamoDbRetries.IsRetryable(canceled, cancellationToken))
        {
            return await ResolveRejectionAsync(canceled, append, appended.Stream.UpdatedAt, cancellationToken);
        }
        catch (IdempotentParameterMismatchException)
        {
            // The token was used in the last minutes with other timestamps: by this very append stored before (a repeat),
            // or by one that was rejected then and may fit now. The header tells which.
            var header = await ReadHeaderAsync(append.StreamId, cancellationToken);
            if (AppendDecision.Decide(append, header) is not AppendVerdict.Write)
            {
                return await OutcomeAsync(append, header, appended.Stream.UpdatedAt, cancellationToken);
            }

            // It fits now: send it again under a token of its own, which can't collide.
            request.ClientRequestToken = Guid.NewGuid().ToString("D");
            return await TransactAsync(request, append, appended, cancellationToken);
        }
    }

    private async Task<AppendOutcome> ResolveRejectionAsync(TransactionCanceledException canceled, StreamAppend append, DateTimeOffset stamp, CancellationToken cancellationToken)
    {
        var reasons = canceled.CancellationReasons ?? [];
        if (reasons.Count > 0 && reasons[0].Code == ConditionalCheckFailed)
        {
            // The header goes first: its old image, returned with the rejection, is what the decision needs.
            var header = StreamItems.ToHeader(reasons[0].Item);
            if (header is null && append.ExpectedRevision == 0)
            {
                // The creating put failed, so a header exists, but the store did not return its old image (DynamoDB
                // does): read it.
                header = await ReadHeaderAsync(append.StreamId, cancellationToken);
            }

            return await OutcomeAsync(append, header, stamp, cancellationToken);
        }

        if (reasons.Skip(1).Any(r => r.Code == ConditionalCheckFailed))
        {
            // The header allowed the append, but events exist at its revisions: something wrote them around the header
            // (this store writes both in one transaction).
            var header = await ReadHeaderAsync(append.StreamId, cancellationToken);
            var (ids, highest) = await ReadStoredEventIdsAsync(append, throughEnd: true, cancellationToken);
            return AppendDecision.AroundHeader(append, header, highest, ids);
        }

        throw new StorageUnavailableException(
            $"DynamoDB rejected the append: {string.Join(", ", reasons.Select(r => r.Code))}.", canceled);
    }

    /// <summary>The outcome of an append the header did not take, decided by the append rules.</summary>
    private async Task<AppendOutcome> OutcomeAsync(StreamAppend append, StreamHeader? header, DateTimeOffset stamp, CancellationToken cancellationToken) =>
        AppendDecision.Decide(append, header) switch
        {
            AppendVerdict.Done done => done.Outcome,
            AppendVerdict.CompareEventIds => AppendDecision.Repeat(append, header!, (await ReadStoredEventIdsAsync(append, throughEnd: false, cancellationToken)).Ids),
            // It fits the header but for its time: the stream's last append is stamped at or after this one.
            _ when header is not null && header.UpdatedAt >= stamp => throw new StreamTimeAheadException(header.UpdatedAt),
            // It fits the header as it is now, so the header changed since the transaction was rejected: a race to retry.
            _ => throw new AppendRaceException(),
        };

    /// <summary>
    /// The ids of the events stored at the append's revisions (in order) and, with <paramref name="throughEnd"/>, the
    /// highest revision stored: one query over the revisions from the append's first, to its last or to the end.
    /// </summary>
    private async Task<(List<Guid?> Ids, int HighestRevision)> ReadStoredEventIdsAsync(StreamAppend append, bool throughEnd, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":id"] = StreamItems.String(StreamItems.StreamKey(append.StreamId)),
            [":first"] = StreamItems.Number(append.FirstRevision),
        };
        if (!throughEnd)
        {
            values[":last"] = StreamItems.Number(append.LastRevision);
        }

        var ids = new List<Guid?>(append.Events.Count);
        var highest = 0;
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var response = await _client.QueryAsync(
                new QueryRequest
                {
                    TableName = _tableName,
                    ConsistentRead = true,
                    KeyConditionExpression = throughEnd ? "PK = :id AND SK >= :first" : "PK = :id AND SK BETWEEN :first AND :last",
                    ProjectionExpression = "SK, EventId",
                    ExpressionAttributeValues = values,
                    ExclusiveStartKey = startKey,
                },
                cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                highest = StreamItems.SortKeyOf(item);
                if (highest <= append.LastRevision)
                {
                    ids.Add(StreamItems.EventIdOf(item));
                }
            }

            startKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (startKey is not null);

        return (ids, highest);
    }

    private async Task<StreamHeader?> ReadHeaderAsync(Guid streamId, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(
            new GetItemRequest { TableName = _tableName, Key = StreamItems.Key(streamId, TableLayout.HeaderSortKey), ConsistentRead = true },
            cancellationToken);
        return StreamItems.ToHeader(response.Item);
    }

    private async Task<EventPage?> ReadEventsAsync(EventRead read, CancellationToken cancellationToken)
    {
        // A range from the start takes in the header (SK 0), so that its type check costs no extra read: forward it comes
        // first; backward last, read only when the page gets that far. A range to the end takes in the state item above
        // every revision, which tells a deleted or truncated stream: backward it comes first; forward last.
        var fromStart = read.AfterRevision == 0;
        var toTheEnd = read.BeforeRevision is null;
        var low = fromStart ? TableLayout.HeaderSortKey : read.LowestRevision;
        if (read.HighestRevision < low)
        {
            // Nothing can be in the range: only whether the stream exists is left to tell.
            return StreamHeader.ForRead(await ReadHeaderAsync(read.StreamId, cancellationToken), read.StreamType) is not null
                ? Paging.ToEventPage([], read.Limit)
                : null;
        }

        var values = new Dictionary<string, AttributeValue>
        {
            [":id"] = StreamItems.String(StreamItems.StreamKey(read.StreamId)),
            [":low"] = StreamItems.Number(low),
        };
        if (!toTheEnd)
        {
            values[":high"] = StreamItems.Number(read.HighestRevision);
        }

        var request = new QueryRequest
        {
            TableName = _tableName,
            ConsistentRead = true,
            KeyConditionExpression = toTheEnd ? "PK = :id AND SK >= :low" : "PK = :id AND SK BETWEEN :low AND :high",
            ExpressionAttributeValues = values,
            ScanIndexForward = !read.IsBackward,
            // One more than the page, so that "has more" is exact; and one more still for the header, and for the state.
            Limit = read.Limit + 1 + (fromStart ? 1 : 0) + (toTheEnd ? 1 : 0),
        };
        // A range that can reach neither end of the stream needs the header to tell a deleted or truncated stream: read
        // along, not after.
        var reachesNeitherEnd = !toTheEnd && (read.IsBackward ? (long)read.HighestRevision - read.Limit >= 1 : !fromStart);
        var headerAlong = reachesNeitherEnd ? ReadHeaderAsync(read.StreamId, cancellationToken) : null;
        var response = await _client.QueryAsync(request, cancellationToken);

        var items = response.Items ?? [];
        var storeStoppedEarly = response.LastEvaluatedKey is { Count: > 0 };
        var reachedTheLastItem = !storeStoppedEarly && items.Count < request.Limit;
        var state = items.Find(StreamItems.IsState);
        var header = items.Find(item => !StreamItems.IsState(item) && StreamItems.SortKeyOf(item) == TableLayout.HeaderSortKey);
        var events = items.Where(item => !StreamItems.IsState(item) && StreamItems.SortKeyOf(item) != TableLayout.HeaderSortKey).ToList();
        var readToTheHeader = fromStart && (!read.IsBackward || reachedTheLastItem);
        // Whether the page shows the stream's deletion and truncation: by the header or the state item, or by reaching
        // past the last revision without meeting a state item (then the stream was never deleted or truncated).
        var knowsState = header is not null || state is not null || (toTheEnd && (read.IsBackward || reachedTheLastItem));
        var removedBelow = 0L;
        if (knowsState && !readToTheHeader && header is null && state is not null)
        {
            if (StreamItems.StreamTypeOf(state) == read.StreamType && StreamItems.DeletedOf(state) is not null)
            {
                throw new StreamDeletedException($"The stream of type '{read.StreamType}' was deleted.");
            }

            removedBelow = int.Parse(state[TableLayout.TruncatedBefore].N, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!knowsState)
        {
            // A page within the stream, touching neither end: the header tells.
            var stored = StreamHeader.ForRead(await (headerAlong ?? ReadHeaderAsync(read.StreamId, cancellationToken)), read.StreamType);
            if (stored is null)
            {
                return null;
            }

            removedBelow = stored.TruncatedBefore;
        }
        else if (!await IsOfTypeAsync(read, header, readToTheHeader, events, cancellationToken))
        {
            return null;
        }
        else if (header is not null)
        {
            removedBelow = StreamHeader.ForRead(StreamItems.ToHeader(header), read.StreamType)!.TruncatedBefore;
        }

        // Events below a truncation are being removed: they are no longer the stream's.
        var kept = events.FindAll(item => StreamItems.SortKeyOf(item) >= removedBelow);
        return Paging.ToEventPage([.. kept.Select(item => StreamItems.ToEvent(item, read.StreamId))], read.Limit, storeStoppedEarly || (kept.Count < events.Count && !reachedTheLastItem));
    }

    /// <summary>
    /// Whether the stream exists with this type, from the page when it can tell: the header when the page reached it, or
    /// the type our events carry. Only an empty page, or one of the original service's events (which carry no type), costs
    /// a read of the header.
    /// </summary>
    private async Task<bool> IsOfTypeAsync(
        EventRead read,
        Dictionary<string, AttributeValue>? header,
        bool readToTheHeader,
        List<Dictionary<string, AttributeValue>> events,
        CancellationToken cancellationToken)
    {
        if (header is not null || readToTheHeader)
        {
            // Events without a header are no stream.
            return header is not null && StreamItems.StreamTypeOf(header) == read.StreamType;
        }

        var types = events.Select(StreamItems.StreamTypeOf).Where(type => type is not null).Distinct().ToList();
        if (types.Count > 0)
        {
            return types is [var type] && type == read.StreamType;
        }

        return StreamHeader.ForRead(await ReadHeaderAsync(read.StreamId, cancellationToken), read.StreamType) is not null;
    }

    private async Task<StreamPage> ReadStreamsAsync(string streamType, DateTimeOffset updatedAfter, StreamPageKey? after, int limit, CancellationToken cancellationToken)
    {
        var request = new QueryRequest
        {
            TableName = _tableName,
            IndexName = TableLayout.StreamIndex,
            KeyConditionExpression = "StreamType = :type AND UpdatedAt >= :updatedAfter",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":type"] = StreamItems.String(streamType),
                [":updatedAfter"] = StreamItems.String(StreamItems.FormatTime(updatedAfter)),
            },
            Limit = limit + 1,
        };

        // A key before the time bound is passed by every stream in it (and DynamoDB refuses a start key outside the
        // query's range), so it only counts inside.
        if (after is not null && after.UpdatedAt >= updatedAfter)
        {
            request.ExclusiveStartKey = new Dictionary<string, AttributeValue>
            {
                [TableLayout.StreamType] = StreamItems.String(streamType),
                [TableLayout.UpdatedAt] = StreamItems.String(StreamItems.FormatTime(after.UpdatedAt)),
                [TableLayout.PartitionKey] = StreamItems.String(StreamItems.StreamKey(after.StreamId)),
                [TableLayout.SortKey] = StreamItems.Number(TableLayout.HeaderSortKey),
            };
        }

        var response = await _client.QueryAsync(request, cancellationToken);
        var streams = (response.Items ?? []).Select(StreamItems.ToStreamDetails).ToList();
        return Paging.ToStreamPage(streams, limit, storeStoppedEarly: response.LastEvaluatedKey is { Count: > 0 });
    }

    private async Task<StreamTypeEventPage> ReadStreamTypeEventsAsync(string streamType, EventCheckpoint after, int limit, CancellationToken cancellationToken)
    {
        // The high-water mark: events stamped up to it are taken to be in the index by now (see SettleWindow and
        // PendingAppends). A page never reads past it, so no checkpoint passes an event that could still appear before it.
        var highWater = EventCheckpoint.End(_pendingAppends.HighWaterTicks());
        var through = StreamItems.TypePosition(highWater);
        var from = StreamItems.TypePosition(after);
        if (string.CompareOrdinal(from, through) >= 0)
        {
            return Paging.ToStreamTypeEventPage([], limit, storeStoppedEarly: false, after, readThrough: null);
        }

        var request = new QueryRequest
        {
            TableName = _tableName,
            IndexName = TableLayout.TypeIndex,
            // BETWEEN includes its bounds: the checkpoint's own key with one more character sorts after it and before
            // every later key (all keys have the same length).
            KeyConditionExpression = "StreamType = :type AND TypePosition BETWEEN :after AND :through",
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>
            {
                [":type"] = StreamItems.String(streamType),
                [":after"] = StreamItems.String(from + "#"),
                [":through"] = StreamItems.String(through),
            },
            Limit = limit + 1,
        };

        QueryResponse response;
        try
        {
            response = await _client.QueryAsync(request, cancellationToken);
        }
        catch (AmazonDynamoDBException exception) when (exception.ErrorCode == "ValidationException" && exception.Message.Contains(TableLayout.TypeIndex, StringComparison.Ordinal))
        {
            throw new StorageMisconfiguredException(
                $"The DynamoDB table '{_tableName}' has no index '{TableLayout.TypeIndex}' (hash StreamType, range TypePosition, projecting all attributes), which reading a stream type's events needs: add it to the table (the AWS CDK stack of the event store defines it), or for local use delete the table and let EventStore:DynamoDb:CreateTable=true create it.",
                exception);
        }

        var events = (response.Items ?? [])
            .Select(item =>
            {
                var streamId = Guid.Parse(item[TableLayout.PartitionKey].S, System.Globalization.CultureInfo.InvariantCulture);
                return (StreamItems.ToEvent(item, streamId), StreamItems.CheckpointOf(item, streamId));
            })
            .ToList();
        return Paging.ToStreamTypeEventPage(
            events, limit, storeStoppedEarly: response.LastEvaluatedKey is { Count: > 0 }, after, highWater);
    }

    private async Task<bool> CreateTableIfMissingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.DescribeTableAsync(new DescribeTableRequest { TableName = _tableName }, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            try
            {
                await _client.CreateTableAsync(TableLayout.CreateTableRequest(_tableName), cancellationToken);
                LogTableCreated(_logger, _tableName);
            }
            catch (ResourceInUseException)
            {
                // Created by another instance meanwhile.
            }
        }

        await WaitUntilActiveAsync(cancellationToken);
        return true;
    }

    private async Task WaitUntilActiveAsync(CancellationToken cancellationToken)
    {
        // A new table (and its index) takes seconds in AWS; DynamoDB Local has it at once. Checked every 500 ms for two
        // minutes, on the store's clock.
        var untilActive = new ResiliencePipelineBuilder<bool> { TimeProvider = _timeProvider }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                MaxRetryAttempts = MaxActiveChecks,
                Delay = ActiveCheckInterval,
                BackoffType = DelayBackoffType.Constant,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: null, Result: false }),
            })
            .Build();
        var active = await untilActive.ExecuteAsync(
            async token =>
            {
                var table = (await _client.DescribeTableAsync(new DescribeTableRequest { TableName = _tableName }, token)).Table;
                return table.TableStatus == TableStatus.ACTIVE && (table.GlobalSecondaryIndexes ?? []).All(index => index.IndexStatus == IndexStatus.ACTIVE);
            },
            cancellationToken);
        if (!active)
        {
            throw new StorageUnavailableException($"The DynamoDB table '{_tableName}' did not become active in time.");
        }
    }

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "Created the DynamoDB table {TableName}")]
    private static partial void LogTableCreated(ILogger logger, string tableName);
}
