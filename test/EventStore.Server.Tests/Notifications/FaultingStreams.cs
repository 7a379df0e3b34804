using System.Collections.Concurrent;
using System.Net;
using ServerlessEventStore.Server.Storage.DynamoDb.Streams;

namespace ServerlessEventStore.Server.Tests.Notifications;

/// <summary>
/// Put around the server's DynamoDB Streams reader: fails the next <c>GetRecords</c> calls with the given AWS error
/// codes, as DynamoDB Streams does for an iterator older than 15 minutes or a position older than 24 hours (which
/// DynamoDB Local cannot be made to produce on demand); otherwise passes calls on.
/// </summary>
internal sealed class FaultingStreams
{
    private readonly ConcurrentQueue<string> _faults = new();

    public int PendingFaults => _faults.Count;

    public void FailNextReads(params string[] errorCodes)
    {
        foreach (var code in errorCodes)
        {
            _faults.Enqueue(code);
        }
    }

    public IDynamoDbStreams Wrap(IDynamoDbStreams inner) => new Decorator(inner, this);

    private sealed class Decorator(IDynamoDbStreams inner, FaultingStreams faults) : IDynamoDbStreams
    {
        public Task<IReadOnlyList<StreamShard>> ListShardsAsync(string streamArn, CancellationToken cancellationToken) =>
            inner.ListShardsAsync(streamArn, cancellationToken);

        public Task<string> GetShardIteratorAsync(string streamArn, string shardId, string? afterSequenceNumber, CancellationToken cancellationToken) =>
            inner.GetShardIteratorAsync(streamArn, shardId, afterSequenceNumber, cancellationToken);

        public Task<ChangeRecordPage> GetRecordsAsync(string shardIterator, int limit, CancellationToken cancellationToken) =>
            faults._faults.TryDequeue(out var code)
                ? throw new DynamoDbStreamsException(code, HttpStatusCode.BadRequest, "Injected by the test.")
                : inner.GetRecordsAsync(shardIterator, limit, cancellationToken);
    }
}
