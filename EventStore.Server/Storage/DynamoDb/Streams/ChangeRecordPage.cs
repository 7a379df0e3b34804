namespace ServerlessEventStore.Server.Storage.DynamoDb.Streams;

/// <summary>What one <c>GetRecords</c> call returned.</summary>
/// <param name="Records">The records, oldest first; possibly none even where more follow.</param>
/// <param name="NextShardIterator">Where to read next; <see langword="null"/> once a closed shard has been read to its end.</param>
internal sealed record ChangeRecordPage(IReadOnlyList<ChangeRecord> Records, string? NextShardIterator);
