using Amazon.DynamoDBv2.Model;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Deletes and truncations: the header and the state item in one transaction, then the events in bounded batches that
/// a repeated call goes on with.
/// </summary>
public sealed partial class DynamoDbEventStorage
{
    private async Task<RemovalOutcome> RemoveOnceAsync(StreamRemoval removal, CancellationToken cancellationToken)
    {
        var stored = await ReadHeaderAsync(removal.StreamId, cancellationToken);
        var verdict = RemovalDecision.Decide(removal, stored);
        if (verdict is RemovalVerdict.Done done)
        {
            return done.Outcome;
        }

        var (header, changed) = (RemovalVerdict.Write)verdict;
        if (changed)
        {
            await WriteRemovalAsync(removal, stored!, header, cancellationToken);
        }

        var below = RemovalDecision.RemovedBelow(removal, header);
        return below > 0 && !await RemoveEventsAsync(removal.StreamId, below, cancellationToken)
            ? new RemovalOutcome.MoreToRemove()
            : new RemovalOutcome.Removed();
    }

    private async Task WriteRemovalAsync(StreamRemoval removal, StreamHeader stored, StreamHeader header, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, AttributeValue>
        {
            [":revision"] = StreamItems.Number(stored.Revision),
            [":change"] = StreamItems.String(removal.Change.Name),
            [":before"] = StreamItems.Number(header.TruncatedBefore),
        };
        var update = "SET LastChange = :change, TruncatedBefore = :before";
        if (header.Deleted is { } deleted)
        {
            // Without UpdatedAt the header leaves the index StreamIndex: a deleted stream is not listed.
            values[":deleted"] = StreamItems.String(StreamItems.DeleteModeText(deleted));
            values[":now"] = StreamItems.String(StreamItems.FormatTime(_timeProvider.GetUtcNow()));
            update += ", Deleted = :deleted, DeletedAt = if_not_exists(DeletedAt, :now) REMOVE UpdatedAt";
        }

        try
        {
            await _client.TransactWriteItemsAsync(
                new TransactWriteItemsRequest
                {
                    TransactItems =
                    [
                        new TransactWriteItem
                        {
                            Update = new Update
                            {
                                TableName = _tableName,
                                Key = StreamItems.Key(removal.StreamId, TableLayout.HeaderSortKey),
                                UpdateExpression = update,
                                // On the header as decided: an append or removal in between is decided again.
                                ConditionExpression = stored.Deleted is null ? "StreamRevision = :revision AND attribute_not_exists(Deleted)" : "StreamRevision = :revision",
                                ExpressionAttributeValues = values,
                            },
                        },
                        new TransactWriteItem { Put = new Put { TableName = _tableName, Item = StreamItems.State(removal.StreamId, header) } },
                    ],
                },
                cancellationToken);
        }
        catch (TransactionCanceledException canceled) when (!DynamoDbRetries.IsRetryable(canceled, cancellationToken)
            && canceled.CancellationReasons is [{ Code: ConditionalCheckFailed }, ..])
        {
            throw new AppendRaceException("The stream changed while its removal was decided.", canceled);
        }
    }

    /// <summary>
    /// Removes up to <see cref="MaxItemsRemovedPerCall"/> of the stream's items below revision <paramref name="below"/>
    /// (for a hard delete, every item but the header and the state item: the append records too).
    /// </summary>
    /// <returns>Whether none is left.</returns>
    private async Task<bool> RemoveEventsAsync(Guid streamId, long below, CancellationToken cancellationToken)
    {
        var everything = below > int.MaxValue;
        var values = new Dictionary<string, AttributeValue> { [":id"] = StreamItems.String(StreamItems.StreamKey(streamId)) };
        if (!everything)
        {
            values[":first"] = StreamItems.Number(1);
            values[":last"] = StreamItems.Number((int)below - 1);
        }

        var response = await _client.QueryAsync(
            new QueryRequest
            {
                TableName = _tableName,
                ConsistentRead = true,
                KeyConditionExpression = everything ? "PK = :id" : "PK = :id AND SK BETWEEN :first AND :last",
                ProjectionExpression = "PK, SK",
                ExpressionAttributeValues = values,
                Limit = MaxItemsRemovedPerCall + 2,
            },
            cancellationToken);
        var candidates = (response.Items ?? []).Where(item => !StreamItems.IsState(item) && item[TableLayout.SortKey].N != "0").ToList();
        var keys = candidates.Take(MaxItemsRemovedPerCall).ToList();
        foreach (var batch in keys.Chunk(25))
        {
            var unprocessed = new Dictionary<string, List<WriteRequest>>
            {
                [_tableName] = [.. batch.Select(key => new WriteRequest { DeleteRequest = new DeleteRequest { Key = key } })],
            };
            for (var send = 0; unprocessed.Count > 0; send++)
            {
                if (send == MaxBatchResends)
                {
                    throw new StorageUnavailableException("DynamoDB did not process the removal of a stream's events; repeat the request to go on.");
                }

                unprocessed = (await _client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = unprocessed }, cancellationToken)).UnprocessedItems ?? [];
                unprocessed = unprocessed.Where(table => table.Value.Count > 0).ToDictionary();
            }
        }

        return response.LastEvaluatedKey is not { Count: > 0 } && candidates.Count == keys.Count;
    }
}
