namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>
/// The three calls of the DynamoDB Streams API that the relay needs. A port of our own rather than the AWS SDK's
/// <c>IAmazonDynamoDBStreams</c>: in AWS SDK v4 that client left AWSSDK.DynamoDBv2 for a package of its own, which this
/// project's package source does not serve; the calls are small JSON requests signed with AWSSDK.Core's SigV4 signer, as
/// SNS <c>Publish</c> is. Registered on its own so that tests can decorate it.
/// </summary>
internal interface IDynamoDbStreams
{
    /// <summary>Lists every shard of the stream (<c>DescribeStream</c>, all pages).</summary>
    Task<IReadOnlyList<StreamShard>> ListShardsAsync(string streamArn, CancellationToken cancellationToken);

    /// <summary>
    /// An iterator of the shard (<c>GetShardIterator</c>): after <paramref name="afterSequenceNumber"/>
    /// (<c>AFTER_SEQUENCE_NUMBER</c>), or from its oldest record still kept when it is <see langword="null"/>
    /// (<c>TRIM_HORIZON</c>).
    /// </summary>
    /// <exception cref="DynamoDbStreamsException">E.g. <c>TrimmedDataAccessException</c>: the position is older than the stream keeps.</exception>
    Task<string> GetShardIteratorAsync(string streamArn, string shardId, string? afterSequenceNumber, CancellationToken cancellationToken);

    /// <summary>Reads the next records at the iterator (<c>GetRecords</c>).</summary>
    /// <exception cref="DynamoDbStreamsException">E.g. <c>ExpiredIteratorException</c> (an iterator lives 15 minutes) or <c>TrimmedDataAccessException</c>.</exception>
    Task<ChangeRecordPage> GetRecordsAsync(string shardIterator, int limit, CancellationToken cancellationToken);
}
