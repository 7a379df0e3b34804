using Amazon.DynamoDBv2.Model;

namespace ServerlessEventStore.Server.Storage.DynamoDb;

/// <summary>
/// Appends at the end of a stream (any, stream-exists): anchored at the header's revision, written with the append's
/// record (a negative sort key under the header) by which a repeat is recognised, however much the stream grew since.
/// </summary>
public sealed partial class DynamoDbEventStorage
{
    /// <summary>
    /// An append at the end (any, stream-exists): anchored where the header says the stream is, then one transaction with
    /// the append's record. A rejected record means the append (or one with its first event id) is stored: decided as a
    /// possible repeat. A rejected header means the stream moved: anchored again where the rejection's old image says it is.
    /// Each attempt reads the header afresh, so a retry after a lost response finds its own record and answers as a repeat.
    /// </summary>
    private async Task<AppendOutcome> AppendAtTheEndAsync(StreamAppend append, CancellationToken cancellationToken)
    {
        var header = await ReadHeaderAsync(append.StreamId, cancellationToken);
        for (var anchoring = 0; anchoring < MaxAnchorings; anchoring++)
        {
            // The record, if any, is found by the transaction's condition on it: the common case reads nothing more.
            var verdict = AppendDecision.Anchor(append, header, record: null);
            if (verdict is AppendVerdict.Done done)
            {
                return done.Outcome;
            }

            var anchored = ((AppendVerdict.WriteAt)verdict).Append;
            // Later than the stream's last write, so that a stream's times never run backwards whatever the clock does.
            var now = _timeProvider.GetUtcNow();
            if (header is not null && now <= header.UpdatedAt)
            {
                now = header.UpdatedAt.AddTicks(1);
            }

            var request = AppendRequest(anchored, StreamItems.FormatTime(now));
            try
            {
                await TransactWriteAsync(request, anchored, cancellationToken);
                return AppendDecision.Appended(anchored, now);
            }
            catch (TransactionCanceledException canceled) when (!DynamoDbRetries.IsRetryable(canceled, cancellationToken))
            {
                var reasons = canceled.CancellationReasons ?? [];
                var headerRejected = reasons.Count > 0 && reasons[0].Code == ConditionalCheckFailed;
                if (headerRejected)
                {
                    header = StreamItems.ToHeader(reasons[0].Item) ?? await ReadHeaderAsync(append.StreamId, cancellationToken);
                }

                // The header, the events, then the record.
                var recordAt = anchored.Events.Count + 1;
                if (reasons.Count > recordAt && reasons[recordAt].Code == ConditionalCheckFailed)
                {
                    var record = StreamItems.ToAppendRecord(reasons[recordAt].Item) ?? await ReadAppendRecordAsync(append, cancellationToken);
                    return await RepeatOutcomeAsync(append, header, record, cancellationToken);
                }

                if (!headerRejected)
                {
                    return await ResolveRejectionAsync(canceled, anchored, now, cancellationToken);
                }
            }
        }

        throw new AppendRaceException($"The stream moved on {MaxAnchorings} times while an append at its end was written.");
    }

    /// <summary>The outcome of an append at the end whose record is stored: a repeat, or another append with its first id.</summary>
    private async Task<AppendOutcome> RepeatOutcomeAsync(StreamAppend append, StreamHeader? header, AppendRecord? record, CancellationToken cancellationToken) =>
        AppendDecision.Anchor(append, header, record) switch
        {
            AppendVerdict.Done done => done.Outcome,
            AppendVerdict.CompareEventIdsAt at => AppendDecision.Repeat(at.Append, header!, (await ReadStoredEventIdsAsync(at.Append, throughEnd: false, cancellationToken)).Ids),
            // The record went away between the rejection and the read (a stream deleted meanwhile): decide afresh.
            _ => throw new AppendRaceException(),
        };

    private async Task<AppendRecord?> ReadAppendRecordAsync(StreamAppend append, CancellationToken cancellationToken)
    {
        var response = await _client.GetItemAsync(
            new GetItemRequest { TableName = _tableName, Key = StreamItems.AppendRecordKey(append.StreamId, append.FirstEventId!.Value), ConsistentRead = true },
            cancellationToken);
        return StreamItems.ToAppendRecord(response.Item);
    }
}
