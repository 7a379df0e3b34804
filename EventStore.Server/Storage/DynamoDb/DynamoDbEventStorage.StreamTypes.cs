using Amazon.DynamoDBv2.Model;
using ServerlessEventStore.Server.Telemetry;
using ServerlessEventStore.Types;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// The list of stream types: items of the partition <see cref="TableLayout.StreamTypesPartition"/>, one per hash bucket
/// of types, read with one query and written by the append that creates a type's first stream, in its transaction.
/// A process writes a type's item only until it knows the item is there (<see cref="KnownStreamTypes"/>), so appends
/// of known types don't touch it. Tables written before this (or by the original service) list a type once a new
/// stream of it is created.
/// </summary>
public sealed partial class DynamoDbEventStorage
{
    // DynamoDB's limit of the items of one transaction.
    private const int MaxTransactionItems = 100;

    private readonly KnownStreamTypes _knownStreamTypes = new();

    /// <inheritdoc />
    /// <remarks>
    /// One strongly consistent query (a type is listed as soon as its first stream's append returned), in the order of
    /// the items' sort keys (hashes of the types), then of the types' names within an item.
    /// </remarks>
    public Task<StreamTypePage> GetStreamTypesAsync(StreamTypePageKey? after, int limit, CancellationToken cancellationToken) =>
        _retries.ExecuteAsync(TelemetryTags.ReadStreamTypes, attempt => ReadStreamTypesAsync(after, limit, attempt), cancellationToken);

    private async Task<StreamTypePage> ReadStreamTypesAsync(StreamTypePageKey? after, int limit, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue> { [":types"] = StreamItems.String(TableLayout.StreamTypesPartition) };
        long? afterBucket = null;
        if (after is not null)
        {
            // From the last type's own item on: it may hold more types after it.
            afterBucket = StreamItems.StreamTypeBucket(after.StreamType);
            values[":from"] = StreamItems.Number(afterBucket.Value);
        }

        var response = await _client.QueryAsync(
            new QueryRequest
            {
                TableName = _tableName,
                ConsistentRead = true,
                KeyConditionExpression = afterBucket is null ? "PK = :types" : "PK = :types AND SK >= :from",
                ExpressionAttributeValues = values,
                // Every item holds a type at least; the first may hold only the last page's: this many give one more
                // type than the page, so that "has more" is exact.
                Limit = limit + 2,
            },
            cancellationToken);

        var streamTypes = new List<string>();
        foreach (var item in response.Items ?? [])
        {
            var inLastItem = StreamItems.BucketOf(item) == afterBucket;
            streamTypes.AddRange(StreamItems.StreamTypesOf(item).Where(type => !inLastItem || string.CompareOrdinal(type, after!.StreamType) > 0));
        }

        foreach (var streamType in streamTypes)
        {
            _knownStreamTypes.Add(streamType);
        }

        return Paging.ToStreamTypePage(streamTypes, limit, storeStoppedEarly: response.LastEvaluatedKey is { Count: > 0 });
    }

    /// <summary>
    /// Adds to an append's transaction the write that lists its stream's type, when the append creates its stream, the
    /// type is not known to be listed, and the transaction has room (otherwise <see cref="TransactWriteAsync"/> writes it
    /// first, on its own). It goes last, after the header and the events, whose places the rejection's reasons follow.
    /// </summary>
    private void AddStreamTypeWrite(StreamAppend append, List<TransactWriteItem> items)
    {
        if (ListsNewStreamType(append) && items.Count < MaxTransactionItems)
        {
            items.Add(new TransactWriteItem { Update = StreamTypeWrite(append.StreamType) });
        }
    }

    /// <summary>
    /// Sends an append's transaction. One too full to take the stream type's write (a new stream's header and 99 events)
    /// has the type listed before, on its own: should the append then be refused, a type is listed without a stream,
    /// where the other way round a type with a stream could be missed. Once the append is stored, its type is known.
    /// </summary>
    private async Task TransactWriteAsync(TransactWriteItemsRequest request, StreamAppend append, CancellationToken cancellationToken)
    {
        if (ListsNewStreamType(append) && !request.TransactItems.Exists(item => item.Update?.UpdateExpression == StreamItems.AddStreamType))
        {
            var write = StreamTypeWrite(append.StreamType);
            await _client.UpdateItemAsync(
                new UpdateItemRequest { TableName = write.TableName, Key = write.Key, UpdateExpression = write.UpdateExpression, ExpressionAttributeValues = write.ExpressionAttributeValues },
                cancellationToken);
            _knownStreamTypes.Add(append.StreamType);
        }

        await _client.TransactWriteItemsAsync(request, cancellationToken);
        if (ListsNewStreamType(append))
        {
            _knownStreamTypes.Add(append.StreamType);
        }
    }

    private Update StreamTypeWrite(string streamType) => new()
    {
        TableName = _tableName,
        Key = StreamItems.StreamTypeKey(streamType),
        UpdateExpression = StreamItems.AddStreamType,
        ExpressionAttributeValues = StreamItems.StreamTypeValues(streamType),
    };

    /// <summary>Whether the append creates its stream (its header is put where none is) with a type not known to be listed.</summary>
    private bool ListsNewStreamType(StreamAppend append) =>
        append.IsAnchored && append.ExpectedRevision == 0 && !_knownStreamTypes.Contains(append.StreamType);
}
